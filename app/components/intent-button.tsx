import { Form } from "react-router";
import { Button, type ButtonVariant } from "./button.tsx";

/**
 * A one-button form that posts an `intent` (and the ids it acts on) to the page's own action: the
 * row actions of admin tables ("Revoke", "Delete") and the action buttons of a detail page.
 * `label` names the action for screen readers when the button's text alone is ambiguous in a table.
 */
export function IntentButton({
  intent,
  fields = {},
  label,
  variant = "secondary",
  children,
}: {
  intent: string;
  fields?: Record<string, string | number>;
  label?: string;
  variant?: ButtonVariant;
  children: React.ReactNode;
}) {
  return (
    <Form method="post">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button name="intent" value={intent} variant={variant} size="sm" aria-label={label}>
        {children}
      </Button>
    </Form>
  );
}
