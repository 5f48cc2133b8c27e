// Markdown of a style-network profile row (src/lib/bench/net-profile.ts NetProfileRow), for
// bench/run.mjs (each backend's row from the /bench page) and bench/profile-net.mjs (Node).

/** @param {any} r a NetProfileRow @returns {string[]} */
export function netProfileMarkdown(r) {
	const p = r.profile;
	const lines = [
		`Style network at ${r.size} on ${r.backend}: ${r.frame.medianMs.toFixed(1)} ms a frame (min ${r.frame.minMs.toFixed(1)}); its convolutions alone (the floor) ${r.floor.medianMs.toFixed(1)} ms (min ${r.floor.minMs.toFixed(1)}): **${r.ratio.toFixed(2)}× the floor**; by summed kernel times ${p.kernelMs.toFixed(1)} / ${r.floorProfile.kernelMs.toFixed(1)} ms = ${r.kernelRatio.toFixed(2)}×.`,
		`${r.gmac.toFixed(3)} GMAC: ${r.gflops.toFixed(1)} GFLOP/s (the convolutions alone ${r.floorGflops.toFixed(1)}). ${p.kernelCount} kernels a frame, ${p.passCount} of them passes over data (on WebGL, about the shader passes).`,
		'',
		'| kernel | calls | ms | share |',
		'|---|---|---|---|'
	];
	for (const k of p.kernels) lines.push(`| ${k.kernel} | ${k.calls} | ${k.ms.toFixed(2)} | ${(k.share * 100).toFixed(1)} % |`);
	lines.push('');
	return lines;
}
