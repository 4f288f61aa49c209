import { useEffect, useRef } from "react";

/**
 * The frame of the signed-out pages (sign in, sign up, sign out): the Commons wordmark above a
 * centred card on a soft background, with an optional line of links under the card.
 */

export function LogoMark({ className = "size-9" }: { className?: string }) {
  // Two speech bubbles, a question and its answer, on the brand tile the app header uses too.
  return (
    <span aria-hidden="true" className={`relative inline-block shrink-0 rounded-lg bg-brand-600 shadow-sm ${className}`}>
      <span className="absolute top-[22%] left-[18%] h-[36%] w-[46%] rounded-[4px] rounded-bl-none border-2 border-white" />
      <span className="absolute right-[16%] bottom-[18%] h-[30%] w-[40%] rounded-[4px] rounded-br-none bg-white/85" />
    </span>
  );
}

export function Wordmark() {
  return (
    <span className="inline-flex items-center gap-2.5">
      <LogoMark />
      <span className="text-2xl font-bold tracking-tight text-brand-700">Commons</span>
    </span>
  );
}

export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: React.ReactNode; children: React.ReactNode; footer?: React.ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-linear-to-b from-brand-50 via-slate-50 to-slate-100 px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex justify-center">
          <Wordmark />
        </div>
        <div className="rounded-2xl bg-white px-6 py-8 shadow-lg ring-1 shadow-slate-200/60 ring-slate-200 sm:px-10">
          <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1 mb-6 text-sm text-slate-600">{subtitle}</p> : <div className="mb-6" />}
          {children}
        </div>
        {footer ? <p className="mt-6 text-center text-sm text-slate-600">{footer}</p> : null}
      </div>
    </main>
  );
}

/** A horizontal rule with a word in the middle ("or"), between the password form and SSO. */
export function Divider({ label }: { label: string }) {
  return (
    <div className="my-6 flex items-center gap-3 text-xs tracking-wide text-slate-500 uppercase">
      <span className="h-px flex-1 bg-slate-200" />
      {label}
      <span className="h-px flex-1 bg-slate-200" />
    </div>
  );
}

export const linkClass = "font-medium text-brand-600 underline-offset-2 hover:text-brand-700 hover:underline";

/**
 * The server never sends a password back, so a form that failed comes back with its password
 * fields empty. With JavaScript the inputs would keep what was typed; empty them the same way.
 * Returns the ref to put on the <Form>.
 */
export function useClearPasswordsAfter(result: unknown) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!result) return;
    for (const input of formRef.current?.querySelectorAll<HTMLInputElement>('input[type="password"]') ?? []) input.value = "";
  }, [result]);
  return formRef;
}
