import { href } from "react-router";
import { ButtonLink } from "#app/components/button.tsx";
import { PlusIcon } from "#app/components/icons.tsx";

/** The feeds' "Write an article": with `spaceSlug`, the new article's space comes preselected. */
export function WriteArticleButton({ spaceSlug }: { spaceSlug?: string }) {
  return (
    <ButtonLink to={spaceSlug === undefined ? href("/articles/new") : `${href("/articles/new")}?space=${encodeURIComponent(spaceSlug)}`} variant="primary">
      <PlusIcon />
      Write an article
    </ButtonLink>
  );
}
