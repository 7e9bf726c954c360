// A review worker whose sandbox could only start as a plain child process (no network namespace, no limits).
process.send({ t: 'ready', isolation: 'plain' });
process.on('message', () => {
  throw new Error('a strict App must not send a review to a worker that cannot isolate it');
});
