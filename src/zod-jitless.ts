/**
 * zod probes for `eval` (`new Function`) when it builds a schema, to compile fast parsers. The
 * app's Content-Security-Policy forbids eval, so the probe only logs a violation; telling zod not
 * to try keeps the console clean. Imported first by main.tsx, before any schema is built.
 */
import { z } from 'zod';

z.config({ jitless: true });
