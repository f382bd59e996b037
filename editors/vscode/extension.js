// Starts `legalmodel lsp` (the language server, docs/editors.md) for .lm files and passes it
// the `legalmodel.*` settings, at start and whenever they change.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function settings() {
  const config = vscode.workspace.getConfiguration("legalmodel");
  return {
    asOf: config.get("asOf") || null,
    timeout: config.get("timeout"),
    debounce: config.get("debounce"),
  };
}

async function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("legalmodel").get("command") || ["legalmodel", "lsp"];
  const serverOptions = { command, args };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "legalmodel" },
      { scheme: "untitled", language: "legalmodel" },
    ],
    initializationOptions: settings(),
    // sends workspace/didChangeConfiguration with {legalmodel: {...}} when a setting changes
    synchronize: { configurationSection: "legalmodel" },
  };
  client = new LanguageClient("legalmodel", "legalmodel", serverOptions, clientOptions);
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `legalmodel: could not start \`${[command, ...args].join(" ")}\` (${err.message || err}). ` +
      "Install it with: pip install 'legalmodel[lsp]', or set legalmodel.command."
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
