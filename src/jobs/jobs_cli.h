/*
 * jobs_cli.h - hidden `ruche debug-…` commands of the job queue.
 */
#ifndef RUCHE_JOBS_CLI_H
#define RUCHE_JOBS_CLI_H

int cmd_debug_enqueue(int argc, char **argv);
int cmd_debug_jobs(int argc, char **argv);

#endif
