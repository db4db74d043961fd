// The system's libyaml (Debian: libyaml-dev). The only copy linked: Yams, which embeds its own, is not used.
#include <yaml.h>
