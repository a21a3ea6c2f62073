// probe: which names did the script look for and not find?
const env = [typeof window, typeof process, typeof require, typeof Buffer];
if (typeof __webdriver_evaluate === 'undefined' && !('callPhantom' in globalThis)) env.push('clean');
env
