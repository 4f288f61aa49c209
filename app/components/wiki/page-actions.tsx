import { Form, href } from "react-router";
import { Button, ButtonLink } from "#app/components/button.tsx";
import { FollowButton } from "#app/components/follow-button.tsx";
import { PencilIcon } from "#app/components/icons.tsx";

export type PagePermissions = { canEdit: boolean; canSuggest: boolean; canManage: boolean; canModerate: boolean; isOwner: boolean; isProtected: boolean };

/**
 * A page's actions, each shown only to who may use it: follow the page and the space's wiki,
 * edit, history, move, delete (owners and moderators; a deleted page can be restored from its
 * page). `extra` takes more buttons (a suggested edit, verification) at the end of the row.
 */
export function PageActions({
  page,
  space,
  permissions,
  following,
  extra,
}: {
  page: { id: number; itemId: number; deleted: boolean };
  space: { slug: string; name: string };
  permissions: PagePermissions;
  following: { page: boolean; wiki: boolean };
  extra?: React.ReactNode;
}) {
  const id = String(page.id);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {page.deleted ? null : (
        <>
          <FollowButton
            action={href("/items/:itemId/follow", { itemId: String(page.itemId) })}
            following={following.page}
            label="Follow page"
            description="Changes and comments on this page reach your inbox"
          />
          <FollowButton
            action={href("/spaces/:slug/wiki/follow", { slug: encodeURIComponent(space.slug) })}
            following={following.wiki}
            label="Follow wiki"
            description={`Every new or changed page in the ${space.name} wiki reaches your inbox`}
          />
        </>
      )}
      {permissions.canEdit ? (
        <ButtonLink to={href("/wiki/:pageId/edit", { pageId: id })} variant="primary">
          <PencilIcon className="size-4" />
          Edit
        </ButtonLink>
      ) : null}
      <ButtonLink to={href("/wiki/:pageId/history", { pageId: id })}>History</ButtonLink>
      {permissions.canEdit ? <ButtonLink to={href("/wiki/:pageId/move", { pageId: id })}>Move</ButtonLink> : null}
      {permissions.canManage && !page.deleted ? (
        <Form method="post">
          <Button name="intent" value="delete" variant="dangerOutline">
            Delete
          </Button>
        </Form>
      ) : null}
      {extra}
    </div>
  );
}
