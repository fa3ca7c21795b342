/**
 * Imported before the server so its loggers are created at `warn`: tests keep the server's
 * errors in their output but not its per-start info lines. An explicit setting wins.
 */
process.env.TIDINGS_LOG_LEVEL ??= 'warn';
