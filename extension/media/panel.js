// Plain MLTrack panels: clicks on [data-command] links ask the extension to run an allow-listed command.
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const a = event.target instanceof Element ? event.target.closest('[data-command]') : null;
    if (!a) return;
    event.preventDefault();
    let args = [];
    try {
      args = JSON.parse(a.getAttribute('data-args') || '[]');
    } catch (e) {
      args = [];
    }
    vscode.postMessage({ command: a.getAttribute('data-command'), args: args });
  });
})();
