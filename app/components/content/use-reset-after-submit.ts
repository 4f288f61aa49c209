import { type RefObject, useEffect, useRef } from "react";
import { useNavigation } from "react-router";

/**
 * Empties a form once its own submission went through (the action redirected back to the page),
 * and calls `onDone` (to close a disclosure). Not after a failure, whose text must stay; not when
 * the page merely reloads its data, e.g. after someone's vote, while the user is still typing.
 */
export function useResetAfterSubmit(formRef: RefObject<HTMLFormElement | null>, matches: (formData: FormData) => boolean, failed: boolean, onDone?: () => void) {
  const navigation = useNavigation();
  const mine = navigation.formData ? matches(navigation.formData) : false;
  const wasMine = useRef(false);
  useEffect(() => {
    if (mine) wasMine.current = true;
    else if (navigation.state === "idle" && wasMine.current) {
      wasMine.current = false;
      if (!failed) {
        formRef.current?.reset();
        onDone?.();
      }
    }
  });
}
