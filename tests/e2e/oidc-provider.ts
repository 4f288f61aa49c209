import type { Server } from "node:http";
import Provider from "oidc-provider";

/**
 * A real OpenID provider, in process, for the SSO tests. Its built-in development login page
 * accepts any login name (which becomes the subject) and any password.
 */
export async function startOidcProvider(options: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Email claimed for a subject; defaults to `<subject>@northwind.example`. */
  emailFor?: (subject: string) => string;
}): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: ["commons-e2e-oidc-cookie-key"] },
    features: { devInteractions: { enabled: true } },
    // Explicit lifetimes (seconds) keep the provider from logging a notice for each default.
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 86400, Grant: 86400 },
    async findAccount(_ctx, subject) {
      return {
        accountId: subject,
        async claims() {
          const name = subject
            .split(/[._-]/)
            .filter(Boolean)
            .map((p) => p[0]!.toUpperCase() + p.slice(1))
            .join(" ");
          return {
            sub: subject,
            email: options.emailFor ? options.emailFor(subject) : `${subject}@northwind.example`,
            email_verified: true,
            name: name || subject,
          };
        },
      };
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(options.port, "127.0.0.1", () => resolve(s));
  });
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
