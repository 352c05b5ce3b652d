/*
 * generate_cli.h - hidden `ruche debug-generate`: a large generated
 * organisation for benchmarks (bench/directory.sh).
 */
#ifndef RUCHE_GENERATE_CLI_H
#define RUCHE_GENERATE_CLI_H

/*
 * ruche debug-generate --data DIR --members N [--seed S]: N invited members
 * (no password) with profiles and skills, plus one administrator with a
 * random password, printed on stdout as "email=" and "password=" lines.
 * Returns 0, 1 on failure, 2 on usage.
 */
int cmd_debug_generate(int argc, char **argv);

#endif
