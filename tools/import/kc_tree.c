#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "tools/import/kc_tree.h"

struct kc_node *
kc_node_add(struct kc_node *parent)
{
	if (parent->nkids == parent->capkids) {
		parent->capkids = parent->capkids ? parent->capkids * 2 : 8;
		parent->kids = xrealloc(parent->kids,
		    parent->capkids * sizeof(*parent->kids));
	}
	struct kc_node *n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof(*n));
	return n;
}

void
kc_node_push(struct kc_node *n, char *text, const struct kc_loc *loc,
    bool quoted)
{
	n->w = xrealloc(n->w, (n->nw + 1) * sizeof(*n->w));
	n->w[n->nw++] = (struct kc_word){ text, *loc, quoted };
}

void
kc_node_clear(struct kc_node *n)
{
	for (size_t i = 0; i < n->nw; i++)
		free(n->w[i].text);
	free(n->w);
	for (size_t i = 0; i < n->nkids; i++)
		kc_node_clear(&n->kids[i]);
	free(n->kids);
	memset(n, 0, sizeof(*n));
}

const char *
kc_doc_file(struct kc_doc *doc, const char *name)
{
	for (size_t i = 0; i < doc->nfiles; i++)
		if (strcmp(doc->files[i], name) == 0)
			return doc->files[i];
	doc->files = xrealloc(doc->files, (doc->nfiles + 1) * sizeof(char *));
	doc->files[doc->nfiles] = xstrdup(name);
	return doc->files[doc->nfiles++];
}

void
kc_doc_free(struct kc_doc *doc)
{
	if (doc == NULL)
		return;
	kc_node_clear(&doc->root);
	for (size_t i = 0; i < doc->nfiles; i++)
		free(doc->files[i]);
	free(doc->files);
	free(doc);
}
