#pragma once
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
const char *sz_last_error(void);
#ifdef __cplusplus
}
#endif
