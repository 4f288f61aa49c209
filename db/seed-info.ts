// What `npm start` prints about the demo company; db/seed.ts creates exactly these accounts (and
// db/seed-content.ts the questions and answers they wrote).
export const DEMO_DOMAIN = "northwind.example";
export const DEMO_PASSWORD = "commons-demo";
export const DEMO_SIGN_INS = [
  { email: `amara.okafor@${DEMO_DOMAIN}`, what: "admin (Engineering)" },
  { email: `lena.fischer@${DEMO_DOMAIN}`, what: "HR" },
  { email: `marco.rossi@${DEMO_DOMAIN}`, what: "moderator (Support)" },
  { email: `priya.nair@${DEMO_DOMAIN}`, what: "member (Engineering, in the restricted Platform Security space)" },
  { email: `tom.becker@${DEMO_DOMAIN}`, what: "member (Sales, in the restricted Deal Desk space)" },
] as const;

/** The demo's customer on the public forum (issue 20): signs in there with the same password. */
export const DEMO_CUSTOMER_EMAIL = "dana.whitfield@customer.example";
