// How the bench starts its fakes' processes (the model's, the platform's): under tsx, and profiled when asked.

/**
 * node's arguments for a fake's child process. Nothing is inherited from the bench's own (a --cpu-prof of the
 * bot's process must not profile the fakes too); FAKE_PROF=<dir> writes a CPU profile of each fake there.
 */
export function fakeExecArgv(): string[] {
  const profileDir = process.env.FAKE_PROF;
  return ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
}
