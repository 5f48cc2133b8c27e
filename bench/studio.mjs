// The studio itself (route /), driven with Playwright as a person leaves it running: wasm, the demo
// scene (no camera), style on at short side 256, explanations on. Once with everything in the page
// (?pipeline=main, "before") and once with the default pipeline (style worker + explain worker, "after").
// Per session, after the models are loaded and the first explanation has arrived:
//   1. explanations off, `offS` seconds: frame rate and where a frame's time goes, without explaining;
//   2. Grad-CAM on (with its live faithfulness score, the default), `windowS` seconds;
//   2b. with `scoreOff`: Grad-CAM with the score off, `windowS` seconds (what the score costs in explanations);
//   3. Score-CAM on, `windowS` seconds.
// Each window: long tasks on the page's main thread (PerformanceObserver 'longtask', buffered: false,
// started at the window's start), frames advanced (HUD data-frame), explanations finished, and the
// HUD's per-step timings (__studio.hud.timings) of every frame seen, as medians.
import { execSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** `uptime`'s line (load averages: the machine is shared), with os.loadavg() as numbers. */
export function machineLoad() {
	let line = '';
	try {
		line = execSync('uptime', { encoding: 'utf8' }).trim();
	} catch {}
	return { uptime: line, loadavg: loadavg().map((x) => Math.round(x * 100) / 100) };
}

const median = (xs) => {
	const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return null;
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs in the page: measures for `ms` milliseconds and returns the window's numbers.
 * Serialized by Playwright, so it may use nothing from this module.
 */
async function measureWindow(ms) {
	const studio = window.__studio;
	const hud = document.querySelector('[data-testid=hud]');
	const frameNow = () => Number(hud?.getAttribute('data-frame') ?? studio.hud.frame);
	const tasks = [];
	const po = new PerformanceObserver((list) => {
		for (const e of list.getEntries()) tasks.push({ start: e.startTime, ms: e.duration });
	});
	po.observe({ type: 'longtask', buffered: false });
	const t0 = performance.now();
	const f0 = frameNow();
	const tensors0 = studio.hud.numTensors;
	const frames = []; // { frame, timings, fps, width, height } of every frame seen
	const hz = [];
	const explainMs = [];
	let lastFrame = -1;
	let lastTop = studio.explain.rawTop;
	let explained = 0;
	let lastFaith = studio.explain.faith;
	let scored = 0;
	const poll = () => {
		const h = studio.hud;
		if (h.frame !== lastFrame) {
			lastFrame = h.frame;
			frames.push({ frame: h.frame, fps: h.fps, width: h.width, height: h.height, timings: h.timings ? { ...h.timings } : null });
		}
		const top = studio.explain.rawTop;
		if (top !== lastTop) {
			lastTop = top;
			explained++;
			explainMs.push(studio.explain.explainMs);
		}
		if (studio.explain.faith !== lastFaith) {
			lastFaith = studio.explain.faith;
			if (lastFaith) scored++;
		}
		if (h.explainHz != null) hz.push(h.explainHz);
	};
	const iv = setInterval(poll, 50);
	await new Promise((r) => setTimeout(r, ms));
	clearInterval(iv);
	poll();
	for (const e of po.takeRecords()) tasks.push({ start: e.startTime, ms: e.duration });
	po.disconnect();
	const seconds = (performance.now() - t0) / 1000;
	const f1 = frameNow();
	return {
		seconds,
		frames: f1 - f0,
		fps: (f1 - f0) / seconds,
		samples: frames,
		explained,
		scored,
		explainHzSamples: hz,
		explainMs,
		// startS < 0: a task already running when the window began (its time before the window is not counted as blocked).
		longTasks: tasks.map((t) => ({ startS: Math.round((t.start - t0) / 10) / 100, ms: Math.round(t.ms), inWindowMs: Math.round(t.ms - Math.max(0, t0 - t.start)) })),
		tensors: { start: tensors0, end: studio.hud.numTensors, explainEnd: studio.hud.explainTensors },
		dropped: studio.hud.dropped,
		explain: { enabled: studio.explain.enabled, status: studio.explain.status, method: studio.explain.method, error: studio.explain.error },
		studioError: studio.error,
		notice: studio.notice ? studio.notice.text : null
	};
}

/** The window's raw numbers → the table's numbers. */
function summarize(w) {
	const longest = w.longTasks.reduce((m, t) => Math.max(m, t.ms), 0);
	// Σ (duration − 50 ms) over the window's long tasks, only the part inside the window.
	const blocked = w.longTasks.reduce((s, t) => s + Math.max(0, Math.min(t.inWindowMs, t.ms - 50)), 0);
	const keys = ['input', 'style', 'stabilize', 'overlay', 'draw', 'total'];
	const timed = w.samples.filter((s) => s.timings);
	const timings = timed.length ? Object.fromEntries(keys.map((k) => [k, median(timed.map((s) => s.timings[k]))])) : null;
	const last = w.samples[w.samples.length - 1];
	return {
		seconds: round(w.seconds, 2),
		frames: w.frames,
		fps: round(w.fps, 2),
		framePeriodMs: w.frames > 0 ? round((1000 * w.seconds) / w.frames, 1) : null,
		hudFpsMedian: round(median(w.samples.map((s) => s.fps)), 2),
		size: last ? `${last.width}×${last.height}` : null,
		longTasks: w.longTasks.length,
		longestTaskMs: longest,
		blockedMsPerMin: round((blocked * 60) / w.seconds, 0),
		blockedShare: round(blocked / (10 * w.seconds), 1), // % of the window
		explained: w.explained,
		explainPerS: round(w.explained / w.seconds, 3),
		explainPeriodS: w.explained > 0 ? round(w.seconds / w.explained, 2) : null,
		scored: w.scored,
		explainHzMedian: round(median(w.explainHzSamples), 3),
		explainMsMedian: round(median(w.explainMs), 0),
		timingsMedianMs: timings && Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, round(v, 1)])),
		timedFrames: timed.length,
		tensors: w.tensors,
		dropped: w.dropped,
		explain: w.explain,
		studioError: w.studioError,
		notice: w.notice,
		longTaskList: w.longTasks
	};
}

const round = (x, d) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

/** One studio session: `query` added to the address ('&pipeline=main': before; '': the default, after); `scorecam`: measure its window too. */
async function session(browser, base, { label, query, scorecam = true, scoreOff = false, windowS, offS, log }) {
	const url = `/?backend=wasm&camera=0&explain=1${query}`;
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const problems = [];
	const workers = [];
	page.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning') problems.push({ t: Date.now(), type: m.type(), text: m.text().slice(0, 500) });
	});
	page.on('pageerror', (e) => problems.push({ t: Date.now(), type: 'pageerror', text: String(e.message).slice(0, 500) }));
	page.on('worker', (w) => workers.push(w.url().replace(/^.*\//, '')));
	await page.addInitScript(() => {
		window.__STUDIO_TEST_HOOK__ = true;
	});
	const out = { url, loadBefore: machineLoad() };
	const t0 = Date.now();
	try {
		await page.goto(`${base}${url}`);
		await page.waitForFunction(() => window.__studio, null, { timeout: 60_000 });
		await page.evaluate(() => (window.__studio.style.resolution = 256));
		// Models loaded: style and explanations ready, frames coming at short side 256.
		await page.waitForFunction(
			() => {
				const s = window.__studio;
				if (s.status === 'failed') return true;
				const ex = document.querySelector('[data-testid=explain-panel]')?.getAttribute('data-status');
				return ex === 'ready' && s.style.status === 'ready' && s.hud.frame > 0 && s.hud.height === 256;
			},
			null,
			{ timeout: 240_000, polling: 250 }
		);
		out.loadS = (Date.now() - t0) / 1000;
		const failed = await page.evaluate(() => (window.__studio.status === 'failed' ? window.__studio.error : null));
		if (failed) throw new Error(`the studio failed to start: ${failed}`);
		// Explanations run: the first result has arrived.
		await page.waitForFunction(() => window.__studio.explain.rawTop.length > 0 || window.__studio.explain.error, null, { timeout: 180_000, polling: 250 });
		out.firstExplainS = (Date.now() - t0) / 1000;
		out.hud = await page.evaluate(() => {
			const h = document.querySelector('[data-testid=hud]');
			return h ? Object.fromEntries([...h.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name.slice(5), a.value])) : null;
		});
		out.pipeline = out.hud?.pipeline || null;
		out.threads = Number(out.hud?.threads) || null;
		out.styleWorkers = Number(out.hud?.['style-workers']) || null;
		out.explainThreads = Number(out.hud?.['explain-threads']) || null;
		out.explainError = await page.evaluate(() => window.__studio.explain.error);
		log(`${label}: ready in ${out.loadS.toFixed(1)} s (first explanation at ${out.firstExplainS.toFixed(1)} s), frames in ${out.pipeline}, ${out.threads} thread(s)`);

		const windows = {};
		// 1. Explanations off (the classifier stays loaded where it runs).
		await page.evaluate(() => window.__studio.explain.setEnabled(false));
		await page.waitForTimeout(2000);
		windows.off = summarize(await page.evaluate(measureWindow, offS * 1000));
		log(`${label}, explanations off: ${windows.off.fps} fps, longest task ${windows.off.longestTaskMs} ms`);
		// 2. Grad-CAM: back on, from the next explanation.
		await page.evaluate(async () => {
			const ex = window.__studio.explain;
			ex.method = 'gradcam';
			await ex.setEnabled(true);
		});
		await page.waitForFunction(() => window.__studio.explain.rawTop.length > 0 || window.__studio.explain.error, null, { timeout: 120_000, polling: 100 });
		windows.gradcam = summarize(await page.evaluate(measureWindow, windowS * 1000));
		log(`${label}, Grad-CAM: ${windows.gradcam.fps} fps, ${windows.gradcam.explainPerS}/s explained, longest task ${windows.gradcam.longestTaskMs} ms, blocked ${windows.gradcam.blockedMsPerMin} ms/min`);
		// 2b. Grad-CAM without the live score (from the first result after switching it off; a chunk in flight finishes first).
		if (scoreOff) {
			await page.evaluate(async () => {
				const ex = window.__studio.explain;
				ex.score = false;
				const top = ex.rawTop;
				while (ex.rawTop === top && !ex.error) await new Promise((r) => setTimeout(r, 100));
			});
			windows.gradcamNoScore = summarize(await page.evaluate(measureWindow, windowS * 1000));
			log(`${label}, Grad-CAM without the score: ${windows.gradcamNoScore.fps} fps, ${windows.gradcamNoScore.explainPerS}/s explained, explain ms ${windows.gradcamNoScore.explainMsMedian}`);
			await page.evaluate(() => (window.__studio.explain.score = true));
		}
		// 3. Score-CAM, from the switch on (the Grad-CAM in flight, if any, finishes first).
		if (scorecam) {
			await page.evaluate(() => (window.__studio.explain.method = 'scorecam'));
			windows.scorecam = summarize(await page.evaluate(measureWindow, windowS * 1000));
			log(`${label}, Score-CAM: ${windows.scorecam.fps} fps, ${windows.scorecam.explainPerS}/s explained, longest task ${windows.scorecam.longestTaskMs} ms, blocked ${windows.scorecam.blockedMsPerMin} ms/min`);
		}
		out.windows = windows;
	} catch (err) {
		out.error = err instanceof Error ? err.message : String(err);
		log(`${label}: failed: ${out.error}`);
		try {
			out.errorState = await page.evaluate(() => {
				const s = window.__studio;
				return s ? { status: s.status, error: s.error, style: s.style.status, explain: s.explain.status, explainError: s.explain.error, hud: { ...s.hud, timings: null } } : null;
			});
		} catch {}
	} finally {
		out.seconds = (Date.now() - t0) / 1000;
		out.loadAfter = machineLoad();
		out.workers = workers;
		out.consoleProblems = problems.map((p) => ({ atS: (p.t - t0) / 1000, type: p.type, text: p.text }));
		await page.close();
	}
	return out;
}

/**
 * Before (pipeline=main) and after (the default: workers) on wasm; with `oneWorker`, the workers once
 * more with one style worker (?styleWorkers=1: the arrangement before two workers took turns;
 * explanations off and Grad-CAM only). With `softBrowser` (a Chromium without GPU compositing,
 * `--disable-gpu`: what a machine without a GPU runs — the test browser composites with SwiftShader GL,
 * which costs a core's 0.3–0.4 here), the default once more in it. With
 * `scoreOff`, the workers' session measures Grad-CAM once more with the live faithfulness score off.
 * `netAlone`: the /bench rows of the network alone ({ '256×256': ms, '340×256': ms,
 * '340×256 worker N': ms }), read against the studio's per-step timings.
 */
export async function benchStudio(browser, base, { windowS = 30, offS = 20, oneWorker = true, softBrowser = null, scoreOff = true, netAlone = {}, netAloneThreads = null, log = console.log } = {}) {
	const result = { backend: 'wasm', cores: cpus().length, scene: 'demo scene 640×480 at short side 256 → 340×256', windowS, offS, sessions: {} };
	result.sessions.main = await session(browser, base, { label: 'main', query: '&pipeline=main', windowS, offS, log });
	result.sessions.worker = await session(browser, base, { label: 'worker', query: '', scoreOff, windowS, offS, log });
	if (oneWorker && cpus().length > 1)
		result.sessions.oneWorker = await session(browser, base, { label: 'one style worker, ?styleWorkers=1', query: '&styleWorkers=1', scorecam: false, windowS, offS, log });
	if (softBrowser) result.sessions.soft = await session(softBrowser, base, { label: 'workers, software compositing', query: '', scorecam: false, windowS, offS, log });
	result.netAlone = netAlone;
	result.netAloneThreads = netAloneThreads;
	result.chain = chainOverhead(result.sessions, netAlone);
	return result;
}

/** Where a frame's time goes (explanations off, and with Grad-CAM), per pipeline. */
function chainOverhead(sessions, netAlone) {
	const rows = [];
	for (const [pipeline, s] of Object.entries(sessions)) {
		for (const w of ['off', 'gradcam']) {
			const win = s.windows?.[w];
			const t = win?.timingsMedianMs;
			if (!t) continue;
			const style = t.style;
			const alone = (pipeline === 'main' ? netAlone['340×256'] : netAlone[`340×256 worker ${s.threads}`]) ?? null;
			// With several style workers a frame's period is shared: each worker takes workers × period per frame.
			rows.push({
				pipeline,
				window: w,
				size: win.size,
				...t,
				framePeriodMs: win.framePeriodMs,
				fps: win.fps,
				// The chain beyond the network, relative to the network's own time in the same frames.
				overheadTotal: style ? round((t.total - style) / style, 3) : null,
				overheadPeriod: style && win.framePeriodMs ? round((win.framePeriodMs - style) / style, 3) : null,
				// The same against the network alone in /bench at the same size, where this pipeline runs it:
				// the page, or a worker with the style worker's thread count.
				netAloneMs: alone,
				overheadPeriodVsNetAlone: alone && win.framePeriodMs ? round((win.framePeriodMs - alone) / alone, 3) : null
			});
		}
	}
	return rows;
}

/** The readable section for latest.md. */
export function studioMarkdown(r) {
	const L = [];
	const m = r.sessions.main;
	const w = r.sessions.worker;
	const w1 = r.sessions.oneWorker ?? null;
	const soft = r.sessions.soft ?? null;
	const named = [
		['page', m, 'main'],
		[`workers (default)`, w, 'worker'],
		...(w1 ? [[`one style worker`, w1, 'worker']] : []),
		...(soft ? [[`workers, software compositing`, soft, 'worker']] : [])
	];
	const who = (s) => `${s.styleWorkers ?? 1} × ${s.threads ?? '?'} thread(s)${s === soft ? ', software compositing' : ''}`;
	const f = (x, d = 1) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(d));
	const pct = (x) => (x == null ? '–' : `${(x * 100).toFixed(0)} %`);
	const thr = (s) => `${s.pipeline ?? '?'}: ${s.pipeline === 'worker' ? `${s.styleWorkers ?? 1} style worker(s) × ` : ''}${s.threads ?? '?'} thread(s)${s.explainThreads ? `, explain worker ${s.explainThreads}` : ''}`;
	L.push(`## The studio, live (wasm, ${r.scene})`, '');
	L.push(`Route \`/?backend=wasm&camera=0&explain=1\` with \`&pipeline=main\` (everything in the page) and without (the default: style workers + explain worker)${w1 ? `, once more with \`&styleWorkers=1\` (one style worker, the arrangement before this round's two; no Score-CAM window)` : ''}${soft ? `, and the default once more in a Chromium started with \`--disable-gpu\` (software compositing, as on a machine without a GPU; the test browser composites with SwiftShader GL, which takes 0.3–0.4 of a core here; no Score-CAM window)` : ''}; resolution 256 set through \`__studio\`. Windows, once the models are loaded and the first explanation has arrived: explanations off ${r.offS} s (\`explain.setEnabled(false)\`, the classifier stays loaded), then Grad-CAM ${r.windowS} s (from the first result after turning them back on), then Score-CAM ${r.windowS} s (from the switch). Long tasks: PerformanceObserver 'longtask' on the page's main thread (buffered: false, started with each window), blocked time = Σ(duration − 50 ms) over the part inside the window, per minute. fps = frames advanced (HUD data-frame) / seconds. explained/s = results that arrived in the window / seconds (the HUD's \`explainHz\` counts jobs over the last 5 s and changes only when one ends, so it reads 0.2 whenever one ended lately). Explaining is held to a share of the time by the app's duty cycle (40 % in the page, 30 % in the explain worker), so explained/s follows from explain ms and that share.`, '');
	L.push(`Threads — ${named.map(([k, s]) => `${k}: ${thr(s)}`).join('; ')}. Load average (\`uptime\`) over each session: ${named.map(([k, s]) => `${k} ${s.loadBefore.loadavg.join(', ')} → ${s.loadAfter.loadavg.join(', ')}`).join('; ')}.`, '');
	for (const [k, s, want] of named) {
		if (s.error) L.push(`**${k} failed:** \`${s.error}\``, '');
		if (s.pipeline && s.pipeline !== want) L.push(`**${k}: frames ran in "${s.pipeline}"**, not the pipeline asked for.`, '');
		const errs = s.consoleProblems.filter((p) => p.type !== 'warning');
		if (errs.length) L.push(`${k}: ${errs.length} console error(s), first: \`${errs[0].text.replace(/`/g, "'").slice(0, 200)}\``, '');
	}
	L.push('### Main-thread blocking, before → after', '');
	L.push('| window | pipeline | longest task ms | blocked ms/min | long tasks | fps | explained/s (count) | explain ms (median) |', '|---|---|---|---|---|---|---|---|');
	for (const win of ['off', 'gradcam', 'scorecam']) {
		for (const [k, s] of named) {
			const x = s.windows?.[win];
			if (!x) continue;
			const name = { off: 'explanations off', gradcam: 'Grad-CAM', scorecam: 'Score-CAM' }[win];
			L.push(`| ${name} | ${k} | ${x.longestTaskMs} | ${f(x.blockedMsPerMin, 0)} | ${x.longTasks} | ${f(x.fps)} | ${win === 'off' ? '–' : `${f(x.explainPerS, 2)} (${x.explained})`} | ${win === 'off' ? '–' : f(x.explainMsMedian, 0)} |`);
		}
	}
	L.push('');
	const rates = [w, w1, soft].filter((s) => s?.windows?.off && s.windows.gradcam);
	if (rates.length) {
		L.push(`### Frame rate, wasm at 256 (${rates[0].windows.off.size}), style on, workers, ${r.cores} cores`, '');
		L.push('| style workers | explain worker | explanations | fps | frame period ms | explained/s (count) | cost of explanations, 1 − fps(on) / fps(off) |', '|---|---|---|---|---|---|---|');
		for (const s of rates) {
			const { off, gradcam: on } = s.windows;
			L.push(`| ${who(s)} | ${s.explainThreads ?? '?'} thread(s) | off (${f(off.seconds, 0)} s) | ${f(off.fps)} | ${f(off.framePeriodMs)} | – | |`);
			L.push(`| ${who(s)} | ${s.explainThreads ?? '?'} thread(s) | Grad-CAM (${f(on.seconds, 0)} s) | ${f(on.fps)} | ${f(on.framePeriodMs)} | ${f(on.explainPerS, 2)} (${on.explained}) | ${pct(1 - on.fps / off.fps)} |`);
		}
		L.push('', `Goal (issue 23): ≥ 12 fps with explanations off, ≥ 9 with Grad-CAM, at 256p on this machine.`);
		L.push('');
	}
	const sc = w?.windows?.gradcam && w.windows.gradcamNoScore ? w.windows : null;
	if (sc) {
		L.push(`### The live faithfulness score's cost (after: workers, Grad-CAM, ${r.windowS} s each)`, '');
		L.push('| live score | fps | explained/s (count) | explanation period s | explain ms (median) | scores finished |', '|---|---|---|---|---|---|');
		for (const [name, x] of [
			['on (default)', sc.gradcam],
			['off', sc.gradcamNoScore]
		])
			L.push(`| ${name} | ${f(x.fps)} | ${f(x.explainPerS, 2)} (${x.explained}) | ${f(x.explainPeriodS, 2)} | ${f(x.explainMsMedian, 0)} | ${x.scored ?? '–'} |`);
		L.push('', 'The duty cycle holds explaining to its share of the time, so the score costs explanations (a longer period), not frames.', '');
	}
	if (r.chain.length) {
		L.push('### Where a frame goes (medians of the HUD per-step timings, ms)', '');
		const na = r.netAlone;
		const inWorker = Object.entries(na)
			.filter(([k]) => k.includes('worker'))
			.map(([k, v]) => `${k.replace(/^340×256 worker (\d+)$/, 'in a worker, $1 thread(s)')} ${f(v)} ms`);
		L.push(`Network alone (/bench, wasm, run minutes earlier): in the page (${r.netAloneThreads ?? '?'} thread(s)) 256×256 ${f(na['256×256'])} ms, 340×256 ${f(na['340×256'])} ms${inWorker.length ? `; 340×256 ${inWorker.join(', ')}` : ''}. In the studio the network runs in the page (${m.threads ?? '?'} thread(s)) or in the style workers (${who(w)}${w1 ? `; ${who(w1)} with ?styleWorkers=1` : ''}); the last column compares with the network alone where that pipeline runs it. With several style workers their frames overlap: a frame's total is longer than the period between frames (two workers share two cores with the page and the compositor).`, '');
		L.push('| pipeline | explanations | size | input | style | stabilize | overlay | draw | total | frame period | (total − style)/style | (period − style)/style | (period − net alone)/net alone |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|');
		for (const c of r.chain)
			L.push(`| ${{ main: 'page', worker: `workers ${who(w)}`, oneWorker: w1 ? `workers ${who(w1)}` : '', soft: soft ? `workers ${who(soft)}` : '' }[c.pipeline] ?? c.pipeline} | ${c.window === 'off' ? 'off' : 'Grad-CAM'} | ${c.size} | ${f(c.input)} | ${f(c.style)} | ${f(c.stabilize)} | ${f(c.overlay)} | ${f(c.draw)} | ${f(c.total)} | ${f(c.framePeriodMs)} | ${pct(c.overheadTotal)} | ${pct(c.overheadPeriod)} | ${pct(c.overheadPeriodVsNetAlone)} |`);
		L.push('', '"total" is measured where the frame is processed (the page, or inside the style worker: it leaves out the page → worker hand-over); the frame period (1000 / fps) has everything, the scheduler included.', '');
	}
	return L;
}
