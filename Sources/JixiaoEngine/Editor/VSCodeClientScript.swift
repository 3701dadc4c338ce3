/// The extension script of the VS Code folder: it starts `jixiao lsp` and maps the protocol onto
/// the VS Code API by hand, so the folder needs no npm package and no build step.
extension VSCodeExtension {
  static let clientScript = #"""
    // Jixiao 绩效规则: starts `jixiao lsp` and speaks the Language Server Protocol to it over its
    // standard input and output, using only the VS Code API and Node (no npm package).
    'use strict';
    const vscode = require('vscode');
    const { spawn } = require('child_process');

    let server;
    let buffer = Buffer.alloc(0);
    let nextId = 1;
    const pending = new Map();
    const diagnostics = vscode.languages.createDiagnosticCollection('jixiao');

    function send(message) {
      if (!server) return;
      const body = Buffer.from(JSON.stringify(Object.assign({ jsonrpc: '2.0' }, message)), 'utf8');
      server.stdin.write('Content-Length: ' + body.length + '\r\n\r\n');
      server.stdin.write(body);
    }

    function request(method, params) {
      const id = nextId++;
      send({ id, method, params });
      return new Promise((resolve) => pending.set(id, resolve));
    }

    function notify(method, params) {
      send({ method, params });
    }

    function receive(chunk) {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const header = /Content-Length: *(\d+)/i.exec(buffer.subarray(0, end).toString('ascii'));
        if (!header) {
          buffer = buffer.subarray(end + 4);
          continue;
        }
        const length = Number(header[1]);
        if (buffer.length < end + 4 + length) return;
        const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
        buffer = buffer.subarray(end + 4 + length);
        if (message.method === 'textDocument/publishDiagnostics') {
          showDiagnostics(message.params);
        } else if (pending.has(message.id)) {
          pending.get(message.id)(message.error ? null : message.result);
          pending.delete(message.id);
        }
      }
    }

    const range = (r) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    const location = (l) => new vscode.Location(vscode.Uri.parse(l.uri), range(l.range));
    const documentOf = (d) => ({ textDocument: { uri: d.uri.toString() } });
    const at = (d, p) => Object.assign(documentOf(d), { position: { line: p.line, character: p.character } });

    function showDiagnostics(params) {
      diagnostics.set(
        vscode.Uri.parse(params.uri),
        params.diagnostics.map((d) => {
          // The protocol counts severities from 1, VS Code from 0.
          const shown = new vscode.Diagnostic(range(d.range), d.message, d.severity - 1);
          shown.code = d.code;
          shown.source = d.source;
          return shown;
        })
      );
    }

    function symbol(s) {
      const shown = new vscode.DocumentSymbol(s.name, s.detail, s.kind - 1, range(s.range), range(s.selectionRange));
      shown.children = (s.children || []).map(symbol);
      return shown;
    }

    function action(a) {
      const fix = new vscode.CodeAction(a.title, vscode.CodeActionKind.QuickFix);
      fix.edit = new vscode.WorkspaceEdit();
      for (const [uri, edits] of Object.entries(a.edit.changes)) {
        for (const e of edits) fix.edit.replace(vscode.Uri.parse(uri), range(e.range), e.newText);
      }
      fix.isPreferred = a.isPreferred;
      return fix;
    }

    function opened(d) {
      if (d.languageId !== 'jixiao') return;
      notify('textDocument/didOpen', {
        textDocument: { uri: d.uri.toString(), languageId: 'jixiao', version: d.version, text: d.getText() },
      });
    }

    function activate(context) {
      const command = vscode.workspace.getConfiguration('jixiao').get('path') || 'jixiao';
      server = spawn(command, ['lsp']);
      server.stdout.on('data', receive);
      server.on('error', (error) => vscode.window.showErrorMessage('无法启动 ' + command + ' lsp：' + error.message));
      request('initialize', { processId: process.pid, rootUri: null, capabilities: {} }).then(() => {
        notify('initialized', {});
        vscode.workspace.textDocuments.forEach(opened);
      });
      const selector = { language: 'jixiao' };
      context.subscriptions.push(
        diagnostics,
        vscode.workspace.onDidOpenTextDocument(opened),
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.languageId !== 'jixiao') return;
          notify('textDocument/didChange', {
            textDocument: { uri: e.document.uri.toString(), version: e.document.version },
            contentChanges: [{ text: e.document.getText() }],
          });
        }),
        vscode.workspace.onDidCloseTextDocument((d) => {
          if (d.languageId === 'jixiao') notify('textDocument/didClose', documentOf(d));
        }),
        vscode.languages.registerHoverProvider(selector, {
          provideHover: (d, p) =>
            request('textDocument/hover', at(d, p)).then((h) => h && new vscode.Hover(new vscode.MarkdownString(h.contents.value))),
        }),
        vscode.languages.registerDefinitionProvider(selector, {
          provideDefinition: (d, p) => request('textDocument/definition', at(d, p)).then((l) => l && location(l)),
        }),
        vscode.languages.registerReferenceProvider(selector, {
          provideReferences: (d, p, c) =>
            request('textDocument/references', Object.assign(at(d, p), { context: { includeDeclaration: c.includeDeclaration } }))
              .then((list) => (list || []).map(location)),
        }),
        vscode.languages.registerCompletionItemProvider(selector, {
          provideCompletionItems: (d, p) =>
            request('textDocument/completion', at(d, p)).then((items) =>
              (items || []).map((i) => {
                const item = new vscode.CompletionItem(i.label, i.kind - 1);
                item.detail = i.detail;
                return item;
              })
            ),
        }),
        vscode.languages.registerDocumentSymbolProvider(selector, {
          provideDocumentSymbols: (d) => request('textDocument/documentSymbol', documentOf(d)).then((list) => (list || []).map(symbol)),
        }),
        vscode.languages.registerDocumentFormattingEditProvider(selector, {
          provideDocumentFormattingEdits: (d, options) =>
            request('textDocument/formatting', Object.assign(documentOf(d), { options: { tabSize: options.tabSize, insertSpaces: options.insertSpaces } }))
              .then((edits) => (edits || []).map((e) => vscode.TextEdit.replace(range(e.range), e.newText))),
        }),
        vscode.languages.registerCodeActionsProvider(selector, {
          provideCodeActions: (d, r) =>
            request('textDocument/codeAction', Object.assign(documentOf(d), {
              range: { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } },
              context: { diagnostics: [] },
            })).then((list) => (list || []).map(action)),
        })
      );
    }

    function deactivate() {
      if (!server) return undefined;
      return request('shutdown', null).then(() => {
        notify('exit', null);
        server = undefined;
      });
    }

    module.exports = { activate, deactivate };
    """#
}
