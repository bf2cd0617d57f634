'use strict';
// Deployment from the editor (issue 6): a workspace script trains and logs a scikit-learn model (▶ Track, run with
// /usr/bin/python3 per mltrack.python) → the `🚀 Deploy` lens appears → the Deployment form panel → Deploy (target
// local) → the progress notification ends READY → "Open OpenAPI" → the OpenAPI viewer shows POST /predict, and its
// "Try it" gets predictions from the local endpoint.
const h = require('./lib');

const DEPLOY_SCRIPT = `"""Trains a small iris classifier and logs it with an input example (deployed by the e2e suite)."""
import mltrack


@mltrack.track(experiment="deploy-e2e", name="deploy-e2e-iris")
def train(C=1.0):
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(C=C, max_iter=500).fit(X, y)
    mltrack.log_model(model, input_example=X[:3])
    return {"accuracy": float(model.score(X, y))}


if __name__ == "__main__":
    print(train())
`;

const workspaceFiles = { 'deploy_iris.py': DEPLOY_SCRIPT };

function mainPage(ctx) {
  const page = ctx.state.mainPage || ctx.context.pages()[0] || ctx.page;
  ctx.state.mainPage = page;
  ctx.page = page;
  return page;
}

const scenarios = [
  ['deploy_lens_form_local_openapi', async (ctx) => {
    const page = mainPage(ctx);
    const t0 = Date.now();
    await h.showActivity(page, 'MLTrack'); // the Runs view starts the backend (the Deploy lens needs it running)
    await h.openFile(page, 'deploy_iris.py');
    await h.clickCodeLens(page, /Track/, 45000);
    // the lens shows once the run logged its model and deployments/canDeploy says ok
    await h.clickCodeLens(page, /Deploy/, 150000).catch(async (e) => {
      throw new Error(`${e.message} (notifications: ${JSON.stringify(await h.notifications(page))})`);
    });
    const tLens = Date.now();
    const { frame } = await h.findWebviewFrame(page, /Deploy model/, 45000);
    const target = await frame.locator('#df-target').inputValue();
    if (target !== 'local') throw new Error(`the form's default target is ${target}, not local`);
    await frame.locator('#df-name').fill('deploy-e2e-iris');
    await h.screenshot(page, 'deploy-form');
    const tClick = Date.now();
    await frame.locator('button.df-submit').click();
    const ready = await h.waitForNotification(page, /is ready at http:\/\/127\.0\.0\.1:\d+/, 150000).catch(async (e) => {
      throw new Error(`${e.message} (all: ${JSON.stringify(await h.notifications(page))})`);
    });
    const tReady = Date.now();
    await page.locator('.notifications-toasts .monaco-button', { hasText: 'Open OpenAPI' }).first().click();
    const api = await h.findWebviewFrame(page, /POST\s*\/predict/, 45000);
    const ops = await api.frame.evaluate(() => [...document.querySelectorAll('.oa-op')].map((e) => e.getAttribute('data-op')));
    if (!ops.includes('POST /predict')) throw new Error(`the OpenAPI viewer lists ${JSON.stringify(ops)}, not POST /predict`);
    await api.frame.locator('.oa-op[data-op="POST /predict"] button.oa-try').click();
    await api.frame.locator('.oa-op[data-op="POST /predict"] .oa-try-status').first().waitFor({ timeout: 30000 });
    const tryIt = (await api.frame.locator('.oa-op[data-op="POST /predict"] .oa-try-output').innerText()).replace(/\s+/g, ' ');
    if (!/HTTP 200/.test(tryIt)) throw new Error(`"Try it" did not get HTTP 200: ${tryIt.slice(0, 300)}`);
    await h.screenshot(page, 'deploy-openapi');
    return {
      ready: ready.slice(0, 200),
      operations: ops,
      tryIt: tryIt.slice(0, 200),
      msTrackToLens: tLens - t0,
      msDeployClickToReady: tReady - tClick,
    };
  }],
];

module.exports = { scenarios, workspaceFiles };
