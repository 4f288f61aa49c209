import { useEffect, useId, useRef, useState } from "react";
import { href } from "react-router";
import { buttonClass } from "./button.tsx";
import { useHydrated } from "./use-hydrated.ts";

type Uploaded = { markdown: string; filename: string };

/** What a refusal means when the server sent no message of its own. */
function statusMessage(status: number): string {
  if (status === 401) return "your session has ended: sign in again to upload.";
  if (status === 413) return "the file is too large.";
  if (status === 415) return "Commons doesn't take this kind of file.";
  if (status === 429) return "too many uploads in the last hour; try again later.";
  return "the upload failed. Try again.";
}

/** A file name as a short label, without anything that would end the placeholder's markdown. */
function label(file: File): string {
  const name = (file.name || "pasted image").replace(/[[\]()\n\r]/g, " ").trim();
  return name.length > 60 ? `${name.slice(0, 57)}…` : name;
}

/**
 * Uploads for a markdown textarea: paste or drop images and files into it, or pick them with
 * "Attach a file". Each file goes to `POST /uploads`; while it travels a visible placeholder sits
 * at the caret (`![Uploading name…](#upload-1)`), replaced by the returned markdown, or removed
 * with a message saying why the upload was refused. The form can't be sent while a placeholder is
 * still in the text. Without JavaScript none of it renders and the textarea is a plain textarea.
 */
export function useMarkdownUploads(textarea: React.RefObject<HTMLTextAreaElement | null>, enabled: boolean) {
  const [status, setStatus] = useState("");
  const [error, setError] = useState("");
  const pending = useRef(0);
  const counter = useRef(0);

  useEffect(() => {
    const form = textarea.current?.form;
    if (!enabled || !form) return;
    // A body with an upload still on its way would be saved with its placeholder.
    const hold = (event: SubmitEvent) => {
      if (pending.current === 0) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      setError("Wait for the upload to finish before saving.");
    };
    form.addEventListener("submit", hold, { capture: true });
    return () => form.removeEventListener("submit", hold, { capture: true });
  }, [textarea, enabled]);

  function replace(target: HTMLTextAreaElement, placeholder: string, text: string) {
    const at = target.value.indexOf(placeholder);
    if (at === -1) return;
    // The caret stays where the writer left it, moved along with the text around it. ("preserve"
    // would select the new text when the caret sat right after the placeholder, and the next
    // keystroke or upload would replace it.)
    const end = at + placeholder.length;
    const moved = (position: number) => (position >= end ? position + text.length - placeholder.length : position > at ? at + text.length : position);
    const [start, finish] = [moved(target.selectionStart), moved(target.selectionEnd)];
    target.setRangeText(text, at, end);
    target.setSelectionRange(start, finish);
    // Let React (and any onChange the caller passed) see the new value.
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  async function uploadOne(target: HTMLTextAreaElement, file: File) {
    const name = label(file);
    const placeholder = `![Uploading ${name}…](#upload-${++counter.current})`;
    target.focus();
    target.setRangeText(placeholder, target.selectionStart, target.selectionEnd, "end");
    target.dispatchEvent(new Event("input", { bubbles: true }));
    pending.current += 1;
    setStatus(`Uploading ${name}…`);
    try {
      const body = new FormData();
      body.append("file", file, file.name || "pasted-image.png");
      const response = await fetch(href("/uploads"), { method: "POST", body, headers: { Accept: "application/json" } });
      const result = (await response.json().catch(() => null)) as (Uploaded & { error?: string }) | null;
      if (response.ok && result?.markdown) {
        replace(target, placeholder, result.markdown);
        setStatus(`Uploaded ${result.filename}.`);
      } else {
        replace(target, placeholder, "");
        setStatus("");
        setError(`${name}: ${result?.error ?? statusMessage(response.status)}`);
      }
    } catch {
      replace(target, placeholder, "");
      setStatus("");
      setError(`${name}: the upload failed. Check your connection and try again.`);
    } finally {
      pending.current -= 1;
    }
  }

  function upload(files: readonly File[]) {
    const target = textarea.current;
    if (!target || files.length === 0) return;
    setError("");
    for (const file of files) void uploadOne(target, file);
  }

  const handlers = enabled
    ? {
        onPaste(event: React.ClipboardEvent<HTMLTextAreaElement>) {
          const files = [...event.clipboardData.files];
          // Office and some browsers put a picture of copied text next to the text: text wins.
          if (files.length === 0 || event.clipboardData.getData("text/plain") !== "") return;
          event.preventDefault();
          upload(files);
        },
        onDragOver(event: React.DragEvent<HTMLTextAreaElement>) {
          if (!event.dataTransfer.types.includes("Files")) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
        },
        onDrop(event: React.DragEvent<HTMLTextAreaElement>) {
          const files = [...event.dataTransfer.files];
          if (files.length === 0) return;
          event.preventDefault();
          upload(files);
        },
      }
    : {};
  return { handlers, upload, status, error };
}

/** "Attach a file" (a real file input, reached by Tab like any control) and what the uploads say. */
export function UploadControls({ upload, status, error }: { upload: (files: readonly File[]) => void; status: string; error: string }) {
  const hydrated = useHydrated();
  const id = useId();
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
      {hydrated ? (
        <>
          <span>
            <input
              id={id}
              type="file"
              multiple
              className="peer sr-only"
              onChange={(event) => {
                upload([...(event.currentTarget.files ?? [])]);
                event.currentTarget.value = "";
              }}
            />
            <label
              htmlFor={id}
              className={`${buttonClass("secondary", "sm")} cursor-pointer peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600`}
            >
              Attach a file
            </label>
          </span>
          <span>or paste or drop images and files into the text.</span>
        </>
      ) : null}
      <span role="status" aria-live="polite">
        {status}
      </span>
      {/* Inserted when there is something to say: a new alert is announced at once. */}
      {error ? (
        <span role="alert" className="basis-full text-sm text-red-700">
          {error}
        </span>
      ) : null}
    </div>
  );
}
