#ifndef ADVOCATE_CLIBXML2_SHIM_H
#define ADVOCATE_CLIBXML2_SHIM_H
// xmlversion.h first, then switch ICU off: Debian's libxml2 is built with ICU, and its
// <unicode/ucnv.h> clashes with Foundation's bundled ICU in the same build.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

// xmlFree is a global function pointer, which Swift 6 rejects as unsafe shared state.
static inline void advocate_xml_free(void *pointer) { xmlFree(pointer); }
#endif
