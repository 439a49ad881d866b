// Validates HAR files with the npm har-validator package; prints each verdict and exits 1 if any is invalid.
// usage: node validate-har.js NODE_MODULES_DIR FILE...
const path = require('path');
const fs = require('fs');
const validate = require(path.join(process.argv[2], 'har-validator'));

(async () => {
  let invalid = 0;
  for (const file of process.argv.slice(3)) {
    try {
      await validate.har(JSON.parse(fs.readFileSync(file, 'utf8')));
      console.log(`valid ${file}`);
    } catch (e) {
      invalid++;
      console.log(`INVALID ${file}: ${JSON.stringify(e.errors || e.message)}`);
    }
  }
  process.exit(invalid === 0 ? 0 : 1);
})();
