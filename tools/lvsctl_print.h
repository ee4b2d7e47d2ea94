/* lvsctl's human-readable output, one printer per command. */
#ifndef LVSD_TOOLS_LVSCTL_PRINT_H
#define LVSD_TOOLS_LVSCTL_PRINT_H

#include <stdbool.h>
#include <stdio.h>

struct json_object;

void lvsctl_print(FILE *out, const char *command, struct json_object *reply);

#endif
