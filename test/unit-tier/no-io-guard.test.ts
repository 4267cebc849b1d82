import childProcess from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { NO_IO_MESSAGE } from './no-io-environment';

// The unit tier's environment refuses I/O; a test that starts a server here must fail loudly, not slowly.
describe('the unit tier refuses I/O', () => {
  it('refuses to start a server', () => {
    expect(() => http.createServer().listen(0)).toThrow(NO_IO_MESSAGE);
    expect(() => net.createServer().listen(0, '127.0.0.1')).toThrow(NO_IO_MESSAGE);
  });

  it('refuses outgoing connections: http.request, net.connect and fetch', () => {
    expect(() => http.request('http://127.0.0.1:9/')).toThrow(NO_IO_MESSAGE);
    expect(() => net.connect(9, '127.0.0.1')).toThrow(NO_IO_MESSAGE);
    expect(() => fetch('http://127.0.0.1:9/')).toThrow(NO_IO_MESSAGE);
  });

  it('refuses child processes', () => {
    expect(() => childProcess.spawn('node', ['--version'])).toThrow(NO_IO_MESSAGE);
    expect(() => childProcess.execSync('node --version')).toThrow(NO_IO_MESSAGE);
    expect(() => childProcess.fork('nothing.js')).toThrow(NO_IO_MESSAGE);
  });
});
