#ifndef PERSONA_REGISTRY_CLIBPQ_SHIM_H
#define PERSONA_REGISTRY_CLIBPQ_SHIM_H

#include <libpq-fe.h>

/* The PG_DIAG_* field codes are char macros ('C', 'M', ...) that Swift
   cannot import; export them as constants. */
static const int PR_PG_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int PR_PG_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int PR_PG_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
static const int PR_PG_DIAG_MESSAGE_HINT = PG_DIAG_MESSAGE_HINT;
static const int PR_PG_DIAG_CONSTRAINT_NAME = PG_DIAG_CONSTRAINT_NAME;
static const int PR_PG_DIAG_TABLE_NAME = PG_DIAG_TABLE_NAME;
static const int PR_PG_DIAG_COLUMN_NAME = PG_DIAG_COLUMN_NAME;

#endif
