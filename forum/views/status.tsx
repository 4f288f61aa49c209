/** The bodies of the forum's error and status pages. */

export function NotFoundPage() {
  return (
    <div className="status-page">
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have been mistyped, or the page may have moved.</p>
      <p>
        <a href="/">Go to the community home</a> or search for what you were looking for.
      </p>
    </div>
  );
}

export function GonePage() {
  return (
    <div className="status-page">
      <h1>This thread is no longer published</h1>
      <p>It was withdrawn or its publication period ended.</p>
      <p>
        <a href="/">See the threads that are published</a>
      </p>
    </div>
  );
}

export function BadRequestPage({ message }: { message: string }) {
  return (
    <div className="status-page">
      <h1>That address is not valid</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the community home</a>
      </p>
    </div>
  );
}

export function ServerErrorPage() {
  return (
    <div className="status-page">
      <h1>Something went wrong</h1>
      <p>We could not show this page. Please try again in a moment.</p>
      <p>
        <a href="/">Go to the community home</a>
      </p>
    </div>
  );
}

/** A signed-in customer asked for something that is not theirs to do (accept on another's thread). */
export function NotAllowedPage({ message }: { message: string }) {
  return (
    <div className="status-page">
      <h1>Not allowed</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the community home</a>
      </p>
    </div>
  );
}
