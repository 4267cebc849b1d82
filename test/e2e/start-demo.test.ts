import { startDemo } from './playground-session';

/** `npm start` in demo mode: the three processes come up, answer, and all stop on Ctrl-C (SIGINT). */
describe('npm start (demo launcher)', () => {
  it('starts the simulated tenant, the bot and the Agents Playground, prints the URL, and Ctrl-C stops all three', async () => {
    const demo = await startDemo();
    const urls = [`${demo.simulatorUrl}/_simulator/health`, `${demo.botUrl}/healthz`, `${demo.playgroundUrl}/`];
    try {
      expect(demo.output()).toContain('SIMULATED TENANT');
      expect((await fetch(urls[0]!)).ok).toBe(true);
      expect(await (await fetch(urls[1]!)).json()).toEqual({ status: 'ok', mode: 'demo' });
      expect((await fetch(urls[2]!)).status).toBe(200);
    } finally {
      expect(await demo.stop()).toBe(0);
    }
    // Nothing is left listening.
    for (const url of urls) await expect(fetch(url)).rejects.toThrow();
  }, 90_000);
});
