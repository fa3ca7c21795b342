/**
 * The HTTP side: account creation and sign-in (which mint a device session), sign-out,
 * health, and the built web client. JSON bodies are parsed with the protocol's schemas.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CreateAccountBodySchema, SignInBodySchema, TidingsError, type DemoAccounts, type ErrorCode } from '../../src/protocol';
import { logger } from '../log';
import type { Accounts } from '../services/accounts';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

const log = logger('http');

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  forbidden: 403,
  rate_limited: 429,
  username_taken: 409,
  invalid_credentials: 401,
  unavailable: 503,
  internal: 500,
};

/** Fields a person fills in (sign-in, group dialogs, the message input). */
const PERSON_FIELDS = new Set(['username', 'password', 'displayName', 'name', 'announcement', 'text', 'usernames']);

const sentence = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;

export function errorFromUnknown(err: unknown): TidingsError {
  if (err instanceof TidingsError) return err;
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const field = issue?.path[0];
    // What a person typed gets a sentence; anything else names the field for whoever debugs.
    if (issue && typeof field === 'string' && PERSON_FIELDS.has(field)) {
      return new TidingsError('bad_request', sentence(issue.message));
    }
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return new TidingsError('bad_request', `${where}${issue?.message ?? 'invalid request'}`);
  }
  return new TidingsError('internal', 'Something went wrong on the server.');
}

export function createHttpApp(opts: {
  accounts: Accounts;
  webRoot: string | null;
  authLimiter: RateLimiterAbstract;
  isAllowedOrigin: (origin: string | undefined, host: string | undefined) => boolean;
  /** Ends the device's open sockets: a signed-out session must stop receiving pushes at once. */
  onSignOut: (deviceId: string) => Promise<void>;
  /** Only `npm run demo` passes its public accounts (`GET /api/demo`); any other server has no such route. */
  demo?: DemoAccounts;
}) {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // No other site may frame the app (clickjacking), sniff types, or learn where a link came from.
  // The page's own Content-Security-Policy is in its <meta> (frame-ancestors only works as a header).
  app.use((_req, res, next) => {
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  const api = express.Router();
  api.use((req, res, next) => {
    if (!opts.isAllowedOrigin(req.headers.origin, req.headers.host)) {
      res.status(403).json({ code: 'unauthorized', message: 'This origin may not use the API.' });
      return;
    }
    next();
  });
  api.use(express.json({ limit: '16kb' }));
  // Sign-in and sign-up are throttled per client address, against password guessing.
  const throttle = async (req: Request, _res: Response, next: NextFunction) => {
    try {
      await opts.authLimiter.consume(req.ip ?? 'unknown');
      next();
    } catch {
      next(new TidingsError('rate_limited', 'Too many attempts. Wait a minute and try again.'));
    }
  };
  api.post('/accounts', throttle, async (req, res, next) => {
    try {
      const body = CreateAccountBodySchema.parse(req.body);
      const session = await opts.accounts.createAccount(body);
      log.info({ userId: session.user.id, deviceId: session.deviceId }, 'account created');
      res.status(201).json(session);
    } catch (err) {
      next(err);
    }
  });
  api.post('/sessions', throttle, async (req, res, next) => {
    try {
      const session = await opts.accounts.signIn(SignInBodySchema.parse(req.body));
      log.info({ userId: session.user.id, deviceId: session.deviceId }, 'signed in');
      res.status(201).json(session);
    } catch (err) {
      next(err);
    }
  });
  const demo = opts.demo;
  if (demo) {
    api.get('/demo', (_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json(demo);
    });
  }
  api.delete('/sessions/current', async (req, res, next) => {
    try {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token) throw new TidingsError('unauthorized', 'No session.');
      const device = await opts.accounts.authenticate(token);
      await opts.accounts.signOut(device.id);
      await opts.onSignOut(device.id);
      log.info({ userId: device.userId, deviceId: device.id }, 'signed out');
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });
  api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e =
      err instanceof SyntaxError || (err instanceof Error && 'type' in err && err.type === 'entity.too.large')
        ? new TidingsError('bad_request', 'The request body is not valid JSON of an acceptable size.')
        : errorFromUnknown(err);
    if (e.code === 'internal') log.error({ err }, 'request failed');
    res.status(STATUS[e.code]).json(e.toWire());
  });
  app.use('/api', api);

  if (opts.webRoot && existsSync(opts.webRoot)) {
    const root = opts.webRoot;
    // The service worker must never be cached by HTTP, or an old app shell sticks.
    app.get('/sw.js', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(root, 'sw.js'));
    });
    app.use(
      express.static(root, {
        index: 'index.html',
        setHeaders(res, path) {
          if (path.includes(`${join(root, 'assets')}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          else res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
  } else if (opts.webRoot) {
    app.get('/', (_req, res) => {
      res.type('text').send('The web client is not built. Run `npm run build`, then restart the server.');
    });
  }
  return app;
}
