/*
 * Interfaces by name, asked of rtnetlink (RTM_GETLINK).
 *
 * if_nametoindex(3) and the SIOCGIF* ioctls look the name up through
 * dev_ioctl(), which, for a name the kernel does not know and a caller
 * with CAP_NET_ADMIN, runs `modprobe netdev-NAME` and waits for it:
 * tens of milliseconds on a server, seconds on a loaded or emulated one,
 * in the very process that must send adverts on time.  RTM_GETLINK never
 * loads a module.
 */
#ifndef LVSD_LIB_IFLINK_H
#define LVSD_LIB_IFLINK_H

#include <stddef.h>
#include <stdint.h>

/*
 * The index of the interface called name, and its hardware address when
 * hw is not NULL (*hwlen bytes of hwmax at most; 0 when it has none).
 * Returns 0, or -1 with errno (ENODEV: no such interface).
 */
int iflink_lookup(const char *name, unsigned *index, uint8_t *hw,
    size_t hwmax, size_t *hwlen);

/* The index of name, or 0 (errno set), like if_nametoindex(3). */
unsigned iflink_index(const char *name);

#endif
