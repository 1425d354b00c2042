// @ts-check
'use strict';
/** The `rlmd.*` settings (declared in package.json's contributes.configuration) and what they decide. */
const fs = require('fs');
const os = require('os');
const path = require('path');

const BUDGETS = ['maxIterations', 'maxCalls', 'maxUsd', 'maxTokens', 'maxSeconds', 'maxDepth'];

/**
 * @typedef {{executablePath: string, args: string[], provider: string, baseUrl: string, model: string,
 *   subModel: string, budgets: Record<string, number>, trace: string}} Settings
 */

/**
 * Reads every setting once.
 * @param {typeof import('vscode')} vscode @returns {Settings}
 */
function read(vscode) {
  const config = vscode.workspace.getConfiguration('rlmd');
  const text = (/** @type {string} */ key) => String(config.get(key) || '').trim();
  /** @type {Record<string, number>} */
  const budgets = {};
  for (const name of BUDGETS) {
    const value = config.get(`budgets.${name}`);
    if (typeof value === 'number' && Number.isFinite(value)) budgets[name] = value;
  }
  const args = config.get('args');
  return {
    executablePath: text('executablePath'),
    args: Array.isArray(args) ? args.map(String) : [],
    provider: text('provider'),
    baseUrl: text('baseUrl'),
    model: text('model'),
    subModel: text('subModel'),
    budgets,
    trace: text('trace') || 'off',
  };
}

/**
 * What `initialize` carries: only what the user set, so the config file and environment decide the rest.
 * @param {Settings} settings
 */
function initializationOptions(settings) {
  /** @type {Record<string, any>} */
  const options = {};
  if (settings.provider) options.provider = settings.provider;
  if (settings.baseUrl) options.baseUrl = settings.baseUrl;
  if (settings.model) options.model = settings.model;
  if (settings.subModel) options.subModel = settings.subModel;
  if (Object.keys(settings.budgets).length) options.budgets = settings.budgets;
  return options;
}

/**
 * The same choices for `rlmd doctor`, which reads only the environment and the config file.
 * @param {Settings} settings
 */
function doctorEnvironment(settings) {
  const env = { ...process.env };
  if (settings.baseUrl) env.RLMD_BASE_URL = settings.baseUrl;
  if (settings.model) env.RLMD_MODEL = settings.model;
  if (settings.subModel) env.RLMD_SUB_MODEL = settings.subModel;
  return env;
}

/** Not found where the settings or PATH say; `message` says how to get it. */
class MissingExecutable extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'MissingExecutable';
  }
}

const INSTALL = 'Build it with `make release` in the rlmd checkout, then put its `.build/release` folder on PATH '
  + '(before starting VS Code) or set `rlmd.executablePath` to `…/.build/release/rlmd`.';

/**
 * The rlmd binary: `rlmd.executablePath` (a path, `~` allowed, or a name looked up on PATH), else `rlmd` on PATH.
 * @param {Settings} settings @param {string | undefined} [searchPath] @returns {string}
 */
function executable(settings, searchPath = process.env.PATH) {
  const configured = settings.executablePath.replace(/^~(?=$|\/)/, os.homedir());
  if (configured.includes('/')) {
    if (!isExecutable(configured)) {
      throw new MissingExecutable(`rlmd.executablePath is ${configured}, which ${fs.existsSync(configured) ? 'is not executable' : 'does not exist'}. ${INSTALL}`);
    }
    return configured;
  }
  const name = configured || 'rlmd';
  for (const folder of (searchPath || '').split(path.delimiter)) {
    if (folder && isExecutable(path.join(folder, name))) return path.join(folder, name);
  }
  throw new MissingExecutable(`${name} was not found on PATH. ${INSTALL}`);
}

/** @param {string} file */
function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

module.exports = { BUDGETS, read, initializationOptions, doctorEnvironment, executable, MissingExecutable };
