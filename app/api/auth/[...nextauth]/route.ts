// Auth.js's own endpoints (sign-in callbacks, session, CSRF); no team data passes here.
import { handlers } from "@/lib/accounts/auth";

export const { GET, POST } = handlers;
