import * as tf from '@tensorflow/tfjs';
import type { FrameRenderer } from './renderer';

const VERT = `#version 300 es
in vec2 pos;
out vec2 uv;
void main() {
  uv = vec2((pos.x + 1.0) * 0.5, (1.0 - pos.y) * 0.5);
  gl_Position = vec4(pos, 0.0, 1.0);
}`;

const FRAG = `#version 300 es
precision highp float;
uniform sampler2D img;
in vec2 uv;
out vec4 color;
void main() {
  color = vec4(clamp(texture(img, uv).rgb, 0.0, 1.0), 1.0);
}`;

/**
 * Draws a tensor on the canvas whose WebGL context the tfjs webgl backend runs in:
 * the tensor is laid out as an RGBA texture (dataToGPU) and drawn by a tiny shader, so no pixel
 * leaves the GPU. Uses its own vertex array and unbinds it, so tfjs' state is left as it was.
 */
export class WebGLRenderer implements FrameRenderer {
	readonly path = 'gpu' as const;
	private readonly gl: WebGL2RenderingContext;
	private readonly program: WebGLProgram;
	private readonly vao: WebGLVertexArrayObject;
	private readonly buffer: WebGLBuffer;
	private readonly uImg: WebGLUniformLocation | null;

	constructor(readonly canvas: HTMLCanvasElement) {
		const gl = canvas.getContext('webgl2');
		if (!gl) throw new Error('the WebGL canvas has no WebGL2 context');
		this.gl = gl;
		this.program = link(gl, VERT, FRAG);
		this.uImg = gl.getUniformLocation(this.program, 'img');
		const vao = gl.createVertexArray();
		const buffer = gl.createBuffer();
		if (!vao || !buffer) throw new Error('could not allocate WebGL objects');
		this.vao = vao;
		this.buffer = buffer;
		gl.bindVertexArray(vao);
		gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
		gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
		const loc = gl.getAttribLocation(this.program, 'pos');
		gl.enableVertexAttribArray(loc);
		gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
		gl.bindVertexArray(null);
		gl.bindBuffer(gl.ARRAY_BUFFER, null);
	}

	draw(image: tf.Tensor3D): void {
		const [h, w] = image.shape;
		const rgba = tf.tidy(() => tf.concat([image, tf.ones([h, w, 1])], 2));
		const gpu = rgba.dataToGPU({ customTexShape: [h, w] });
		rgba.dispose();
		try {
			const gl = this.gl;
			if (this.canvas.width !== w) this.canvas.width = w;
			if (this.canvas.height !== h) this.canvas.height = h;
			gl.bindFramebuffer(gl.FRAMEBUFFER, null);
			gl.viewport(0, 0, w, h);
			gl.useProgram(this.program);
			gl.bindVertexArray(this.vao);
			gl.activeTexture(gl.TEXTURE0);
			gl.bindTexture(gl.TEXTURE_2D, gpu.texture!);
			gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
			gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
			gl.uniform1i(this.uImg, 0);
			gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
			gl.bindVertexArray(null);
			gl.bindTexture(gl.TEXTURE_2D, null);
		} finally {
			gpu.tensorRef.dispose();
		}
	}

	dispose(): void {
		const gl = this.gl;
		gl.deleteProgram(this.program);
		gl.deleteVertexArray(this.vao);
		gl.deleteBuffer(this.buffer);
	}
}

function link(gl: WebGL2RenderingContext, vs: string, fs: string): WebGLProgram {
	const compile = (type: number, src: string) => {
		const s = gl.createShader(type)!;
		gl.shaderSource(s, src);
		gl.compileShader(s);
		if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(s)}`);
		return s;
	};
	const p = gl.createProgram()!;
	gl.attachShader(p, compile(gl.VERTEX_SHADER, vs));
	gl.attachShader(p, compile(gl.FRAGMENT_SHADER, fs));
	gl.linkProgram(p);
	if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(p)}`);
	return p;
}
