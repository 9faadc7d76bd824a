/** The local control plane is a product module now (src/local/); tests keep importing it from here. */
export * from '../local/control-plane/index.js';
