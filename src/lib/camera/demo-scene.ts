/**
 * The built-in demo scene: drawn by our own code, so the app works with no camera and no download.
 * A landscape with a moving sun, drifting clouds, a sailing boat, a waving figure and a spinning
 * color wheel: enough edges, colors and motion for style transfer and the classifier to show something.
 */
export function drawDemoScene(ctx: CanvasRenderingContext2D, w: number, h: number, t: number): void {
	const s = t / 1000;
	// sky
	const sky = ctx.createLinearGradient(0, 0, 0, h * 0.62);
	sky.addColorStop(0, '#2b5fa8');
	sky.addColorStop(1, '#f3c27a');
	ctx.fillStyle = sky;
	ctx.fillRect(0, 0, w, h);
	// sun
	const sx = w * (0.15 + 0.7 * ((Math.sin(s * 0.15) + 1) / 2));
	const sy = h * (0.22 + 0.08 * Math.cos(s * 0.15));
	const sun = ctx.createRadialGradient(sx, sy, 0, sx, sy, h * 0.12);
	sun.addColorStop(0, '#fff6c8');
	sun.addColorStop(0.6, '#ffd34d');
	sun.addColorStop(1, 'rgba(255,200,60,0)');
	ctx.fillStyle = sun;
	ctx.beginPath();
	ctx.arc(sx, sy, h * 0.12, 0, Math.PI * 2);
	ctx.fill();
	// clouds
	ctx.fillStyle = 'rgba(255,255,255,0.85)';
	for (let i = 0; i < 4; i++) {
		const cx = ((i * 0.31 + s * 0.02 * (1 + i * 0.3)) % 1.3) * w * 1.0 - w * 0.15;
		const cy = h * (0.1 + 0.07 * i);
		for (let k = 0; k < 4; k++) {
			ctx.beginPath();
			ctx.ellipse(cx + k * w * 0.03, cy + (k % 2) * h * 0.015, w * 0.045, h * 0.03, 0, 0, Math.PI * 2);
			ctx.fill();
		}
	}
	// hills
	ctx.fillStyle = '#3f7d3a';
	ctx.beginPath();
	ctx.moveTo(0, h * 0.62);
	for (let x = 0; x <= w; x += 8) ctx.lineTo(x, h * (0.55 + 0.05 * Math.sin(x / w * 7 + 1.3)));
	ctx.lineTo(w, h * 0.62);
	ctx.closePath();
	ctx.fill();
	// sea with waves
	const sea = ctx.createLinearGradient(0, h * 0.6, 0, h);
	sea.addColorStop(0, '#1f6f9a');
	sea.addColorStop(1, '#0b3150');
	ctx.fillStyle = sea;
	ctx.fillRect(0, h * 0.62, w, h * 0.38);
	ctx.strokeStyle = 'rgba(255,255,255,0.5)';
	ctx.lineWidth = Math.max(1, h / 240);
	for (let row = 0; row < 6; row++) {
		const y0 = h * (0.66 + row * 0.055);
		ctx.beginPath();
		for (let x = 0; x <= w; x += 6) {
			const y = y0 + Math.sin(x / (w * 0.04) + s * (1.5 + row * 0.2) + row) * h * 0.008;
			if (x === 0) ctx.moveTo(x, y);
			else ctx.lineTo(x, y);
		}
		ctx.stroke();
	}
	// boat
	const bx = ((s * 0.04) % 1.2) * w - w * 0.1;
	const by = h * 0.7 + Math.sin(s * 2) * h * 0.008;
	ctx.fillStyle = '#6b3b1f';
	ctx.beginPath();
	ctx.moveTo(bx - w * 0.06, by);
	ctx.lineTo(bx + w * 0.06, by);
	ctx.lineTo(bx + w * 0.045, by + h * 0.03);
	ctx.lineTo(bx - w * 0.045, by + h * 0.03);
	ctx.closePath();
	ctx.fill();
	ctx.fillStyle = '#f5f1e6';
	ctx.beginPath();
	ctx.moveTo(bx, by - h * 0.14);
	ctx.lineTo(bx + w * 0.05, by - h * 0.01);
	ctx.lineTo(bx, by - h * 0.01);
	ctx.closePath();
	ctx.fill();
	// a waving figure on the shore
	const fx = w * 0.78;
	const fy = h * 0.56;
	ctx.strokeStyle = '#222';
	ctx.lineWidth = Math.max(2, h / 120);
	ctx.beginPath();
	ctx.moveTo(fx, fy - h * 0.1);
	ctx.lineTo(fx, fy - h * 0.03);
	ctx.lineTo(fx - w * 0.015, fy);
	ctx.moveTo(fx, fy - h * 0.03);
	ctx.lineTo(fx + w * 0.015, fy);
	ctx.moveTo(fx, fy - h * 0.085);
	ctx.lineTo(fx - w * 0.02, fy - h * 0.05);
	const wave = Math.sin(s * 4) * 0.6;
	ctx.moveTo(fx, fy - h * 0.085);
	ctx.lineTo(fx + w * 0.025 * Math.cos(wave - 0.9), fy - h * 0.085 - h * 0.04 * Math.sin(0.9 + wave));
	ctx.stroke();
	ctx.fillStyle = '#f0c8a0';
	ctx.beginPath();
	ctx.arc(fx, fy - h * 0.115, h * 0.018, 0, Math.PI * 2);
	ctx.fill();
	// spinning color wheel
	const wx = w * 0.12;
	const wy = h * 0.82;
	const r = h * 0.09;
	for (let k = 0; k < 12; k++) {
		ctx.fillStyle = `hsl(${k * 30}, 85%, 55%)`;
		ctx.beginPath();
		ctx.moveTo(wx, wy);
		ctx.arc(wx, wy, r, s + (k * Math.PI) / 6, s + ((k + 1) * Math.PI) / 6);
		ctx.closePath();
		ctx.fill();
	}
	// caption
	ctx.fillStyle = 'rgba(0,0,0,0.45)';
	ctx.fillRect(0, h - h * 0.07, w, h * 0.07);
	ctx.fillStyle = '#fff';
	ctx.font = `${Math.round(h * 0.04)}px sans-serif`;
	ctx.textBaseline = 'middle';
	ctx.fillText('Demo scene (no camera)', w * 0.02, h - h * 0.035);
}
