#ifndef PERSONA_REGISTRY_CYAML_SHIM_H
#define PERSONA_REGISTRY_CYAML_SHIM_H

#include <yaml.h>

#endif
