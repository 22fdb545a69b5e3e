/**
 * Preloaded by the npm scripts that run the app from source (start, dev, cli, db:*): NODE_ENV is
 * development unless the shell set it, because the server applies production rules when it is unset.
 */
process.env.NODE_ENV ||= 'development';
