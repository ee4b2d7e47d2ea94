sbin_PROGRAMS += lvsd
lvsd_SOURCES = daemon/main.c
