'use strict';
// Runs Prism's CLI (`prism mock ...`, arguments as given) in this process, and exits when standard input
// closes: the test fixture that starts it holds the other end, so a test run that dies or is killed does not
// leave a Prism server behind.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

require('@stoplight/prism-cli');
