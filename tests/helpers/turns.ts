/**
 * Counts the turns of the event loop (a setImmediate chain) while a test runs work that should
 * leave room for other callbacks: `turn()` is the current count, `stop()` ends the chain.
 */
export function countTurns(): { turn: () => number; stop: () => void } {
  let turns = 0;
  let counting = true;
  const count = () => {
    turns++;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  return { turn: () => turns, stop: () => (counting = false) };
}
