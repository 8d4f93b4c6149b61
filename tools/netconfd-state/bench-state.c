/*
 * bench-state: a SIL (server instrumentation library) for yuma123
 * netconfd, used only by tools/bench-netconf.
 *
 * netconfd keeps configuration in its <running> tree and serves state
 * (config false) nodes only through instrumentation code: its startup
 * file refuses them. To compare netconfd and chain-agent holding the same
 * data, this library reads an XML document of config and state nodes
 * (the file named by $BENCH_STATE_FILE, whose root element is <config>)
 * once at start, and moves every config false subtree of it into
 * <running>, next to the configuration that the startup file loaded.
 * Subtrees whose configuration the startup file did not have (an entry
 * found only in operational data) are moved whole.
 *
 * The nodes are then ordinary values of <running>: netconfd's <get>
 * prints them as it prints its own state, <get-config> and the candidate
 * (a config-only copy of <running>) leave them out, and a <commit> only
 * touches configuration. No callback runs per request, so a <get> costs
 * netconfd what printing the tree costs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "procdefs.h"
#include "agt.h"
#include "cfg.h"
#include "log.h"
#include "ncx.h"
#include "ncxmod.h"
#include "obj.h"
#include "status.h"
#include "typ.h"
#include "val.h"
#include "xml_rd.h"

static unsigned long moved_subtrees;

/* Moves each state subtree of `from` (and each subtree that `into` has no
 * counterpart for) under `into`; descends into the configuration nodes
 * both trees have. */
static void graft(val_value_t *from, val_value_t *into)
{
    val_value_t *child = val_get_first_child(from);

    while (child != NULL) {
        val_value_t *next = val_get_next_child(child);
        val_value_t *match = NULL;

        if (obj_is_config(child->obj)) {
            match = val_first_child_match(into, child);
        }
        if (match == NULL) {
            val_remove_child(child);
            val_add_child(child, into);
            moved_subtrees++;
        } else if (!typ_is_simple(match->btyp)) {
            graft(child, match);
        }
        child = next;
    }
}

status_t y_bench_state_init(const xmlChar *modname, const xmlChar *revision)
{
    ncx_module_t *mod = NULL;

    return ncxmod_load_module(modname, revision,
                              &agt_get_profile()->agt_savedevQ, &mod);
}

/* Runs after the startup file has been loaded into <running> and before
 * the candidate is copied from it. */
status_t y_bench_state_init2(void)
{
    const char *path = getenv("BENCH_STATE_FILE");
    cfg_template_t *running = cfg_get_config_id(NCX_CFGID_RUNNING);
    val_value_t *data = NULL;
    FILE *file;
    status_t res;

    if (path == NULL) {
        log_error("\nbench-state: BENCH_STATE_FILE is not set");
        return ERR_NCX_MISSING_PARM;
    }
    if (running == NULL || running->root == NULL) {
        log_error("\nbench-state: no <running> configuration");
        return ERR_NCX_OPERATION_FAILED;
    }
    file = fopen(path, "r");
    if (file == NULL) {
        log_error("\nbench-state: cannot open %s", path);
        return ERR_FIL_OPEN;
    }
    res = xml_rd_open_file(file, ncx_get_gen_root(), &data);
    fclose(file);
    if (res != NO_ERR) {
        log_error("\nbench-state: cannot parse %s (%s)", path,
                  get_error_string(res));
        if (data != NULL) {
            val_free_value(data);
        }
        return res;
    }
    graft(data, running->root);
    val_free_value(data);
    log_info("\nbench-state: moved %lu subtrees from %s into <running>\n",
             moved_subtrees, path);
    return NO_ERR;
}

void y_bench_state_cleanup(void)
{
}
