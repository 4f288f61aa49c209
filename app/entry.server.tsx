import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { isbot } from "isbot";
import { renderToPipeableStream, type RenderToPipeableStreamOptions } from "react-dom/server";
import { type AppLoadContext, type EntryContext, type HandleErrorFunction, ServerRouter, isRouteErrorResponse } from "react-router";

export const streamTimeout = 5_000;

/**
 * Why a render was cut short: a streamed part (a question's suggested experts) still pending
 * streamTimeout + 1 s after the request came. React renders its fallback and leaves it to the
 * browser; the page itself is fine, so it does not make the answer a 500.
 */
class StreamTimeout extends Error {
  constructor() {
    super(`A streamed part was still pending after ${streamTimeout + 1000} ms; the browser renders it.`);
  }
}

/** React Router's Node entry, with errors going to the request's structured logger. */
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, routerContext: EntryContext, loadContext: AppLoadContext) {
  if (request.method.toUpperCase() === "HEAD") {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders });
  }

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // An error inside a Suspense boundary before the shell was ready: the shell still renders (with
    // the boundary's fallback) but answers 500, and neither handleError nor the lines below would
    // name the error. It is logged once the shell is out.
    let earlyError: unknown;
    const userAgent = request.headers.get("user-agent");
    // Crawlers and SPA mode wait for all content; browsers get the shell as soon as it is ready.
    const readyOption: keyof RenderToPipeableStreamOptions = (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? "onAllReady" : "onShellReady";
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(new StreamTimeout()), streamTimeout + 1000);

    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={routerContext} url={request.url} nonce={loadContext.cspNonce} />, {
      nonce: loadContext.cspNonce,
      [readyOption]() {
        shellRendered = true;
        const body = new PassThrough({
          final(callback) {
            clearTimeout(timeoutId);
            timeoutId = undefined;
            callback();
          },
        });
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        pipe(body);
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        if (earlyError !== undefined) loadContext.log.error({ err: earlyError, path: new URL(request.url).pathname }, "render error before the shell was ready");
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        if (error instanceof StreamTimeout) {
          loadContext.log.warn({ path: new URL(request.url).pathname }, error.message);
          return;
        }
        responseStatusCode = 500;
        // A shell that failed rejects above and is logged by handleError. A browser that left while a
        // streamed part (a question's suggested experts) was still on its way closes the stream:
        // nothing went wrong on our side.
        if (request.signal.aborted || (error instanceof Error && error.message === "The destination stream closed early.")) return;
        if (shellRendered) loadContext.log.error({ err: error, path: new URL(request.url).pathname }, "render error");
        else earlyError ??= error;
      },
    });
  });
}

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  // Aborted requests (the browser navigated away) and expected HTTP answers are not errors.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  const log = (context as AppLoadContext | undefined)?.log;
  if (log) log.error({ err: error, path: new URL(request.url).pathname }, "unhandled error in a loader or action");
  else console.error(error);
};
