// Copies the SVG icons next to the compiled files: tsc emits only JavaScript, while n8n resolves
// `file:` icon paths relative to the compiled .js file inside dist/.
const { src, dest } = require('gulp');

function buildIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
