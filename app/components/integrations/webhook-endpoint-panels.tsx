import { CardSection } from "#app/components/card.tsx";
import { EndpointStatus } from "./webhook-endpoint-table.tsx";
import { IntentButton } from "#app/components/intent-button.tsx";

/** The panels of one endpoint's page: its state with the actions on it, and its signing secret. */

export function EndpointStatePanel({ endpoint }: { endpoint: { url: string; enabled: boolean; disabledReason: string | null; consecutiveFailures: number } }) {
  return (
    <CardSection title="Status" titleId="endpoint-status">
      <dl className="grid gap-4 text-sm sm:grid-cols-3">
        <div className="sm:col-span-3">
          <dt className="text-xs font-medium text-slate-600">Address</dt>
          <dd className="mt-0.5 font-mono text-xs break-all text-slate-900">{endpoint.url}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">State</dt>
          <dd className="mt-0.5">
            <EndpointStatus enabled={endpoint.enabled} reason={endpoint.disabledReason} />
          </dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">Failed attempts in a row</dt>
          <dd className="mt-0.5 tabular-nums">{endpoint.consecutiveFailures}</dd>
        </div>
      </dl>
      <div className="mt-4 flex flex-wrap gap-2">
        <IntentButton intent="send-test" variant="primary">
          Send test event
        </IntentButton>
        {endpoint.enabled ? <IntentButton intent="disable">Turn off</IntentButton> : <IntentButton intent="enable">Turn on</IntentButton>}
      </div>
      <details className="mt-4">
        <summary className="cursor-pointer text-sm font-medium text-red-700">Delete this endpoint…</summary>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <p className="text-sm text-slate-700">Deleting removes the endpoint and its delivery log. Nothing more is sent to it.</p>
          <IntentButton intent="delete" variant="dangerOutline">
            Delete endpoint
          </IntentButton>
        </div>
      </details>
    </CardSection>
  );
}

export function EndpointSecretPanel({ secret }: { secret: string }) {
  return (
    <CardSection
      title="Signing secret"
      titleId="endpoint-secret"
      description="Your receiver checks the webhook-signature header with it (HMAC-SHA256 over id, timestamp and body; any Standard Webhooks library does it)."
    >
      <label htmlFor="endpoint-secret-value" className="sr-only">
        Signing secret
      </label>
      <input id="endpoint-secret-value" readOnly value={secret} className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900" />
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <IntentButton intent="rotate-secret">Make a new secret</IntentButton>
        <p className="text-xs text-slate-600">The current secret stops working at once: update your receiver right after.</p>
      </div>
    </CardSection>
  );
}
