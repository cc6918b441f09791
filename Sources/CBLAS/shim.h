#ifndef PORTRAIT_CBLAS_SHIM_H
#define PORTRAIT_CBLAS_SHIM_H
/* OpenBLAS's CBLAS interface; Debian keeps it under openblas-pthread/, found through pkg-config. */
#include <cblas.h>
#endif
