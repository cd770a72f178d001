// Hello: asks the host's EIP-1193 provider (found through EIP-6963 discovery) for an account.
(function () {
  'use strict';
  let provider = null;
  window.addEventListener('eip6963:announceProvider', (event) => {
    if (!provider && event.detail && event.detail.provider) provider = event.detail.provider;
  });
  window.dispatchEvent(new Event('eip6963:requestProvider'));

  const who = document.getElementById('who');
  document.getElementById('connect').addEventListener('click', async () => {
    if (!provider) {
      who.textContent = 'No wallet provider here.';
      return;
    }
    try {
      const accounts = await provider.request({ method: 'eth_requestAccounts' });
      who.textContent = accounts.length ? 'Connected: ' + accounts[0] : 'No account shared.';
    } catch (err) {
      who.textContent = 'Not connected: ' + (err && err.message ? err.message : String(err));
    }
  });
})();
