// Hello: the smallest BitUnicom dapp that uses every provider feature once. It finds the
// host's EIP-1193 provider through EIP-6963 discovery, connects an account (EIP-2255), signs a
// greeting (EIP-191 personal_sign) and a typed greeting (EIP-712), and burns one test token
// (an ERC-20 transfer the host's confirm dialog decodes).
(function () {
  'use strict';
  /** The devnet's test token (BitUnicomTestToken, created by 0x…b175 at nonce 0). */
  const TEST_TOKEN = '0xf0CE550274686eeaD4b5c3894329d8e2Fe9c7C1B';
  const BURN = '0x000000000000000000000000000000000000dEaD';
  const ONE_TOKEN = 10n ** 18n;
  let provider = null;
  let account = null;
  window.addEventListener('eip6963:announceProvider', (event) => {
    if (!provider && event.detail && event.detail.provider) provider = event.detail.provider;
  });
  window.dispatchEvent(new Event('eip6963:requestProvider'));

  const $ = (id) => document.getElementById(id);
  const say = (id, text) => ($(id).textContent = text);
  const failure = (err) => (err && err.message ? err.message : String(err)) + (err && err.code ? ' (' + err.code + ')' : '');
  const hex = (s) => '0x' + Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('');
  const word = (v) => v.toString(16).padStart(64, '0');

  function setAccount(a) {
    account = a || null;
    say('who', account ? 'Connected: ' + account : 'No account shared.');
    for (const id of ['sign', 'sign-typed', 'tip']) $(id).disabled = !account;
  }

  async function run(id, fn) {
    try {
      await fn();
    } catch (err) {
      say(id, 'Refused: ' + failure(err));
    }
  }

  $('connect').addEventListener('click', () =>
    run('who', async () => {
      if (!provider) return say('who', 'No wallet provider here.');
      provider.on('accountsChanged', (accounts) => setAccount(accounts[0]));
      setAccount((await provider.request({ method: 'eth_requestAccounts' }))[0]);
    }),
  );

  $('sign').addEventListener('click', () =>
    run('signature', async () => {
      const sig = await provider.request({ method: 'personal_sign', params: [hex('Hello from the Hello dapp!'), account] });
      say('signature', sig);
    }),
  );

  $('sign-typed').addEventListener('click', () =>
    run('typed-signature', async () => {
      const chainId = parseInt(await provider.request({ method: 'eth_chainId' }), 16);
      const typed = {
        types: {
          EIP712Domain: [
            { name: 'name', type: 'string' },
            { name: 'version', type: 'string' },
            { name: 'chainId', type: 'uint256' },
          ],
          Greeting: [
            { name: 'from', type: 'address' },
            { name: 'text', type: 'string' },
          ],
        },
        primaryType: 'Greeting',
        domain: { name: 'Hello', version: '1', chainId },
        message: { from: account, text: 'Hello, typed world!' },
      };
      say('typed-signature', await provider.request({ method: 'eth_signTypedData_v4', params: [account, JSON.stringify(typed)] }));
    }),
  );

  $('tip').addEventListener('click', () =>
    run('tx', async () => {
      const data = '0xa9059cbb' + word(BigInt(BURN)) + word(ONE_TOKEN);
      const hash = await provider.request({ method: 'eth_sendTransaction', params: [{ from: account, to: TEST_TOKEN, data }] });
      say('tx', hash);
      say('tx-status', 'pending');
      for (;;) {
        const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] });
        if (receipt) return say('tx-status', receipt.status === '0x1' ? 'confirmed' : 'failed');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }),
  );
})();
