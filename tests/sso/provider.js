'use strict';
// A hospital's OpenID Connect provider for the single sign-on tests: panva's certified
// `oidc-provider`, from the folder given as the first argument (…/node_modules/oidc-provider).
// Started with `node -r tests/lrs/loopback_only.js provider.js DIR`: it listens on 127.0.0.1
// on a free port, says "listening on 127.0.0.1:PORT", and its issuer is that address.
//
// Registered: `rounds` (the reference server; confidential, a native app with a loopback
// redirect on any port, RS256 ID tokens) and `other-app` (another application of the
// hospital, ES256 ID tokens). PKCE is required of both. Two accounts (the second's e-mail
// address not verified), signed in with a password on the provider's own login form, then a
// consent form.
const http = require('node:http');
const crypto = require('node:crypto');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const SECRET = 'rounds-test-client-secret';
const ACCOUNTS = {
  'ines.moreau': {
    password: 'ward-7-night-shift',
    claims: {
      sub: '248289761001',
      name: 'Inès Moreau',
      preferred_username: 'ines.moreau',
      email: 'ines.moreau@hospital.example',
      email_verified: true,
    },
  },
  'noor.haddad': {
    password: 'ward-2-day-shift',
    claims: {
      sub: '248289761002',
      name: 'Noor Haddad',
      preferred_username: 'noor.haddad',
      email: 'noor.haddad@hospital.example',
      email_verified: false,
    },
  },
};

function signingKeys() {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  return [
    { ...rsa.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...ec.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
}

function accountOf(sub) {
  return Object.values(ACCOUNTS).find((account) => account.claims.sub === sub);
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}`
    + `</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function loginForm(uid, problem) {
  const said = problem ? `<p role="alert">${escape(problem)}</p>` : '';
  return page('Hospital sign-in', `${said}<form method="post" action="/interaction/${uid}/login">`
    + '<label>Username <input name="login" autocomplete="username"></label>'
    + '<label>Password <input name="password" type="password"></label>'
    + '<button type="submit">Sign in</button></form>');
}

function consentForm(uid, clientId) {
  return page('Allow access', `<p>${escape(clientId)} asks to know who you are.</p>`
    + `<form method="post" action="/interaction/${uid}/confirm"><button>Allow</button></form>`
    + `<form method="post" action="/interaction/${uid}/abort"><button>Deny</button></form>`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { body += chunk; if (body.length > 65536) req.destroy(); });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Wrong interaction', ''));
  const { prompt, params } = details;
  if (req.method === 'GET') {
    return send(res, 200, prompt.name === 'login' ? loginForm(uid) : consentForm(uid, params.client_id));
  }
  if (action === 'login') {
    const form = await readForm(req);
    const account = ACCOUNTS[form.get('login')];
    if (!account || account.password !== form.get('password')) {
      return send(res, 200, loginForm(uid, 'Unknown username or wrong password.'));
    }
    return provider.interactionFinished(req, res, { login: { accountId: account.claims.sub } },
      { mergeWithLastSubmission: false });
  }
  if (action === 'abort') {
    await readForm(req);
    return provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'The user denied access.' },
      { mergeWithLastSubmission: false });
  }
  await readForm(req);
  const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } },
    { mergeWithLastSubmission: true });
}

async function main() {
  const dir = process.argv[2];
  const { default: Provider } = await import(pathToFileURL(path.join(dir, 'lib', 'index.js')).href);
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const client = {
    client_secret: SECRET,
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
  const provider = new Provider(issuer, {
    clients: [
      { ...client, client_id: 'rounds', id_token_signed_response_alg: 'RS256' },
      { ...client, client_id: 'other-app', id_token_signed_response_alg: 'ES256' },
    ],
    jwks: { keys: signingKeys() },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, found) => `/interaction/${found.uid}` },
    findAccount: (ctx, sub) => (accountOf(sub)
      ? { accountId: sub, claims: async () => accountOf(sub).claims } : undefined),
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(req.url);
    if (!match) return callback(req, res);
    return interaction(provider, req, res, match[1], match[2]).catch((error) => {
      send(res, 500, page('Interaction failed', `<p>${escape(error.message)}</p>`));
    });
  });
  process.stdout.write(`issuer ${issuer}\n`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error) => { process.stderr.write(`${error.stack}\n`); process.exit(1); });
