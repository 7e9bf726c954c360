#!/usr/bin/env node
// The container's HEALTHCHECK: exit 0 when the App's /health answers 200 on this machine, 1 otherwise (refused,
// stopping (503), or no answer within 4 s). PORT as the server uses it (default 3000).
const port = process.env.PORT || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
