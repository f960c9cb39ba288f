'use strict';
// Preloaded with `node -r ./loopback_only.js`: every TCP server of this process listens on
// 127.0.0.1 only, whatever host (or none) it asks for, and says on stdout where it listens:
// "listening on 127.0.0.1:<port>". Unix sockets and inherited handles are left alone.
const net = require('net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

function loopbackOptions(first) {
  if (first === undefined || first === null) {
    return { port: 0, host: LOOPBACK };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: Number(first), host: LOOPBACK };
  }
  if (typeof first === 'object' && first.path === undefined && first.fd === undefined &&
      first._handle === undefined && first.handle === undefined) {
    return Object.assign({}, first, { host: LOOPBACK });
  }
  return null; // a pipe path or a handle: not a network address
}

net.Server.prototype.listen = function (...args) {
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const options = loopbackOptions(args[0]);
  if (options === null) {
    return listen.apply(this, callback ? args.concat([callback]) : args);
  }
  this.once('listening', () => {
    const address = this.address();
    process.stdout.write(`listening on ${address.address}:${address.port}\n`);
  });
  return listen.call(this, options, callback);
};
