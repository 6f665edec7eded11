// GENERATED FILE, DO NOT EDIT. Types of the Signalbox REST API, made by openapi-typescript from
// the server's OpenAPI document (built in-process from the route schemas).
// Regenerate with `npm run gen:api -w web`; web/test/api-schema.test.ts fails when this is stale.
export type paths = {
    "/api/v1/attributes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Attribute keys seen on spans or logs, for search suggestions */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    prefix?: string;
                    service?: string;
                    signal?: "spans" | "logs";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: {
                                key: string;
                                /** @description string, number, bool or other (arrays, maps), of the last value seen */
                                value_type: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/attributes/values": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recently seen values of an attribute key, for search suggestions */
        get: {
            parameters: {
                query: {
                    key: string;
                    limit?: number;
                    prefix?: string;
                    service?: string;
                    signal?: "spans" | "logs";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            key: string;
                            /** @description Recently seen short values, most recent first (a sample: keys with many values list none) */
                            values: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Changes made through the API and by the control plane: who, what, when, before and after */
        get: {
            parameters: {
                query?: {
                    /** @description One action (`token.create`) or all of a target (`config.*`) */
                    action?: string;
                    /** @description The actor's token id or name */
                    actor?: string;
                    /** @description `next_cursor` of the previous page */
                    cursor?: string;
                    /** @description Epoch ms, inclusive */
                    from?: number;
                    /** @description Page size (default 100) */
                    limit?: number;
                    service?: string;
                    target_id?: string;
                    target_type?: string;
                    /** @description Epoch ms, inclusive */
                    to?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first */
                            entries: {
                                /** @description <target>.<verb>, e.g. token.create, config.publish */
                                action: string;
                                actor: {
                                    /** @description Token id, or the kind for the others */
                                    id: string;
                                    /** @enum {unknown} */
                                    kind: "token" | "bootstrap" | "agent" | "open" | "system";
                                    name: string;
                                };
                                /** @description State after the change (null: none) */
                                after: unknown;
                                /** @description Epoch ms */
                                at: number;
                                /** @description State before the change (null: none) */
                                before: unknown;
                                id: number;
                                reason: string | null;
                                service: string | null;
                                target_id: string;
                                target_type: string;
                            }[];
                            /** @description Pass as `cursor` for older entries; null on the last page */
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/breakers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every breaker of the fleet by service, breaker and instance, with state and counters */
        get: {
            parameters: {
                query?: {
                    dependency?: string;
                    instance_id?: string;
                    service?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            services: {
                                breakers: {
                                    dependency: string | null;
                                    instances: {
                                        counts: {
                                            /** @description In the sliding window */
                                            calls: number;
                                            failure_rate: number;
                                            failures: number;
                                            fallbacks: number;
                                            /** @description Short-circuited while open */
                                            rejections: number;
                                            slow_call_rate: number;
                                            slow_calls: number;
                                            successes: number;
                                            timeouts: number;
                                        };
                                        environment: string;
                                        /** @description open | closed while an operator command holds it */
                                        forced: string | null;
                                        instance_id: string;
                                        state: string;
                                        /** @description When the agent last reported */
                                        updated_at: number;
                                    }[];
                                    name: string;
                                    /** @description Instances per state */
                                    states: {
                                        closed: number;
                                        half_open: number;
                                        open: number;
                                    };
                                }[];
                                service: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/breakers/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Operator commands, newest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    status?: "active" | "expired" | "cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            commands: {
                                acks: {
                                    at: number;
                                    detail: string | null;
                                    instance_id: string;
                                    status: string;
                                }[];
                                action: string;
                                breaker: string | null;
                                created_at: number;
                                created_by: string;
                                ended_at: number | null;
                                expires_at: number;
                                id: string;
                                instance_id: string | null;
                                reason: string;
                                scope: string;
                                service: string | null;
                                /** @description active | expired | cancelled */
                                status: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Force open, force closed or reset breakers of an instance, a service or the fleet; pushed to agents, undone at expiry */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {unknown} */
                        action: "force_open" | "force_closed" | "reset";
                        /** @description One breaker by name; omit for all */
                        breaker?: string;
                        /** @description How long a force holds (default 10m, at most 24h); a reset is delivered within 1m */
                        expires_in?: string;
                        instance_id?: string;
                        reason: string;
                        /** @enum {unknown} */
                        scope: "instance" | "service" | "fleet";
                        service?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            acks: {
                                at: number;
                                detail: string | null;
                                instance_id: string;
                                status: string;
                            }[];
                            action: string;
                            breaker: string | null;
                            created_at: number;
                            created_by: string;
                            ended_at: number | null;
                            expires_at: number;
                            id: string;
                            instance_id: string | null;
                            reason: string;
                            scope: string;
                            service: string | null;
                            /** @description active | expired | cancelled */
                            status: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/breakers/commands/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One command with its acknowledgements */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            acks: {
                                at: number;
                                detail: string | null;
                                instance_id: string;
                                status: string;
                            }[];
                            action: string;
                            breaker: string | null;
                            created_at: number;
                            created_by: string;
                            ended_at: number | null;
                            expires_at: number;
                            id: string;
                            instance_id: string | null;
                            reason: string;
                            scope: string;
                            service: string | null;
                            /** @description active | expired | cancelled */
                            status: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Cancel an active command now (agents release the breaker) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            acks: {
                                at: number;
                                detail: string | null;
                                instance_id: string;
                                status: string;
                            }[];
                            action: string;
                            breaker: string | null;
                            created_at: number;
                            created_by: string;
                            ended_at: number | null;
                            expires_at: number;
                            id: string;
                            instance_id: string | null;
                            reason: string;
                            scope: string;
                            service: string | null;
                            /** @description active | expired | cancelled */
                            status: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/breakers/commands/{id}/acks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent acknowledges a command (applied, released at expiry, rejected) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        detail?: string;
                        instance_id: string;
                        /** @enum {unknown} */
                        status: "applied" | "released" | "rejected";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/breakers/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent reports its breakers (state, counters, new transitions) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        breakers: {
                            counts: {
                                /** @description In the sliding window */
                                calls: number;
                                failure_rate: number;
                                failures: number;
                                fallbacks: number;
                                /** @description Short-circuited while open */
                                rejections: number;
                                slow_call_rate: number;
                                slow_calls: number;
                                successes: number;
                                timeouts: number;
                            };
                            dependency?: string | null;
                            forced?: ("open" | "closed") | (never | null);
                            name: string;
                            /** @enum {unknown} */
                            state: "closed" | "open" | "half_open";
                            transitions: {
                                at: number;
                                from: string;
                                reason: string;
                                to: string;
                            }[];
                        }[];
                        environment: string;
                        instance_id: string;
                        service: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/breakers/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** State changes, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description epoch ms */
                    from?: number;
                    instance_id?: string;
                    limit?: number;
                    name?: string;
                    service?: string;
                    /** @description epoch ms */
                    to?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            transitions: {
                                at: number;
                                from: string;
                                instance_id: string;
                                name: string;
                                reason: string;
                                service: string;
                                to: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every configured service and environment */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            documents: {
                                active_rollout_id: string | null;
                                environment: string;
                                has_schema: boolean;
                                latest_version: number;
                                service: string;
                                stable_version: number;
                                updated_at: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current document, its schema and versions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active_rollout_id: string | null;
                            /** @description The latest version’s document */
                            content: unknown;
                            environment: string;
                            latest_version: number;
                            /** @description JSON Schema every version must satisfy, or null */
                            schema: unknown;
                            service: string;
                            /** @description What instances outside a baking canary run */
                            stable_version: number;
                            updated_at: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/acks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An agent reports that it applied or rejected a version */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        instance_id: string;
                        /** @description Why it was rejected */
                        reason?: string;
                        /** @enum {unknown} */
                        status: "applied" | "rejected";
                        version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/channel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for one agent: `config` (the version to run) and `breaker-commands` (the commands in force), each sent at once and on every change */
        get: {
            parameters: {
                query: {
                    /** @description The breaker command revision the agent has */
                    commands_revision?: string;
                    /** @description The version the agent runs (nothing re-sent for it) */
                    config_version?: number;
                    instance_id: string;
                    /** @description Long-poll: longest wait for a change (default 25s, at most 60s) */
                    wait?: string;
                };
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": unknown;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Structured difference between two versions (RFC 6902 operations and a jsondiffpatch delta) */
        get: {
            parameters: {
                query: {
                    /** @description Older version (0: the empty document) */
                    from: number;
                    to: number;
                };
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description jsondiffpatch delta (its documented format) for side-by-side rendering; null when equal */
                            delta: unknown;
                            from: number;
                            /** @description RFC 6902 JSON Patch turning `from` into `to` */
                            operations: {
                                from?: string;
                                op: string;
                                path: string;
                                value?: unknown;
                            }[];
                            to: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/instances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Drift: per instance, the version it should run and the one it says it runs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            environment: string;
                            instances: {
                                applied_at: number | null;
                                /** @description What it last said it runs */
                                applied_version: number | null;
                                /** @description In the canary of the baking rollout */
                                canary: boolean;
                                desired_version: number | null;
                                in_sync: boolean;
                                instance_id: string;
                                last_ack: {
                                    at: number;
                                    reason: string | null;
                                    status: string;
                                    version: number;
                                } | null;
                                /** @description Registered and not removed */
                                live: boolean;
                            }[];
                            service: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/poll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Long-poll fallback of the channel: answers when the config version or breaker commands differ from what the agent has, or after `wait` */
        get: {
            parameters: {
                query: {
                    /** @description The breaker command revision the agent has */
                    commands_revision?: string;
                    /** @description The version the agent runs (nothing re-sent for it) */
                    config_version?: number;
                    instance_id: string;
                    /** @description Long-poll: longest wait for a change (default 25s, at most 60s) */
                    wait?: string;
                };
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            breakers: {
                                commands: {
                                    action: string;
                                    breaker: string | null;
                                    created_at: number;
                                    expires_at: number;
                                    id: string;
                                    reason: string;
                                }[];
                                revision: string;
                            };
                            /** @description False when the wait ended with nothing new */
                            changed: boolean;
                            config: {
                                content: unknown;
                                rollout_id: string | null;
                                version: number;
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish an earlier version’s content again as a new version */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The latest version you saw; 409 when another landed since */
                        base_version: number;
                        message?: string;
                        /** @description The version whose content is published again */
                        to_version: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Who published it (token name) */
                            author: string;
                            /** @description The document (any JSON) */
                            content: unknown;
                            /** @description epoch ms */
                            created_at: number;
                            environment: string;
                            message: string;
                            /** @description Set on a rollback: the version republished */
                            restored_from: number | null;
                            /** @description Set when published through a staged rollout */
                            rollout_id: string | null;
                            service: string;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rollouts, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rollouts: {
                                auto_promote: boolean;
                                bake_ms: number;
                                /** @description Once the canary applied: its applied time plus the bake */
                                bake_until: number;
                                /** @description The stable version it started from */
                                base_version: number;
                                canary: {
                                    /** @description The canary instances, fixed at the start (a percent is rounded up to whole live instances, at least one) */
                                    instances: string[] | null;
                                    /** @description The share asked for, when given as a percent */
                                    percent: number | null;
                                };
                                /** @description When every canary instance had acknowledged the version as applied: the figures count and the bake runs from then; null while waiting */
                                canary_applied_at: number | null;
                                comparison: {
                                    baseline: {
                                        error_rate: number;
                                        errors: number;
                                        instances: string[];
                                        p95_ms: number | null;
                                        requests: number;
                                    };
                                    canary: {
                                        error_rate: number;
                                        errors: number;
                                        instances: string[];
                                        p95_ms: number | null;
                                        requests: number;
                                    };
                                    from_ms: number;
                                    to_ms: number;
                                } | null;
                                decision_reason: string | null;
                                environment: string;
                                finished_at: number | null;
                                id: string;
                                /** @description The version a rollback or abort published */
                                rollback_version: number | null;
                                service: string;
                                started_at: number;
                                /** @description baking | promoted | rolled_back | aborted */
                                status: string;
                                steps?: {
                                    actor: string;
                                    at: number;
                                    detail: unknown;
                                    step: string;
                                }[];
                                thresholds: {
                                    max_error_rate_increase: number;
                                    max_p95_ratio: number;
                                    min_requests: number;
                                };
                                /** @description The version the canary runs */
                                version: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Publish a version to a canary share first; it is promoted or rolled back on canary-versus-baseline figures */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Promote by itself after a bake without regression; false: a person promotes. A regression is always rolled back by itself
                         * @default true
                         */
                        auto_promote?: boolean;
                        /** @description How long the canary bakes before promotion, e.g. "2m" */
                        bake: string;
                        /** @description The latest version you saw; 409 when another landed since */
                        base_version: number;
                        /** @description Exactly one of percent or instances */
                        canary: {
                            instances?: string[];
                            /** @description Share of instances */
                            percent?: number;
                        };
                        /** @description The new document */
                        content: unknown;
                        message: string;
                        thresholds?: {
                            /** @description Absolute, e.g. 0.05 (default) */
                            max_error_rate_increase?: number;
                            /** @description Canary p95 / baseline p95, default 1.5 */
                            max_p95_ratio?: number;
                            /** @description Requests each side needs before a verdict, default 20 */
                            min_requests?: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            auto_promote: boolean;
                            bake_ms: number;
                            /** @description Once the canary applied: its applied time plus the bake */
                            bake_until: number;
                            /** @description The stable version it started from */
                            base_version: number;
                            canary: {
                                /** @description The canary instances, fixed at the start (a percent is rounded up to whole live instances, at least one) */
                                instances: string[] | null;
                                /** @description The share asked for, when given as a percent */
                                percent: number | null;
                            };
                            /** @description When every canary instance had acknowledged the version as applied: the figures count and the bake runs from then; null while waiting */
                            canary_applied_at: number | null;
                            comparison: {
                                baseline: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                canary: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                from_ms: number;
                                to_ms: number;
                            } | null;
                            decision_reason: string | null;
                            environment: string;
                            finished_at: number | null;
                            id: string;
                            /** @description The version a rollback or abort published */
                            rollback_version: number | null;
                            service: string;
                            started_at: number;
                            /** @description baking | promoted | rolled_back | aborted */
                            status: string;
                            steps?: {
                                actor: string;
                                at: number;
                                detail: unknown;
                                step: string;
                            }[];
                            thresholds: {
                                max_error_rate_increase: number;
                                max_p95_ratio: number;
                                min_requests: number;
                            };
                            /** @description The version the canary runs */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/rollouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One rollout with its steps and the latest canary-versus-baseline figures */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    id: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            auto_promote: boolean;
                            bake_ms: number;
                            /** @description Once the canary applied: its applied time plus the bake */
                            bake_until: number;
                            /** @description The stable version it started from */
                            base_version: number;
                            canary: {
                                /** @description The canary instances, fixed at the start (a percent is rounded up to whole live instances, at least one) */
                                instances: string[] | null;
                                /** @description The share asked for, when given as a percent */
                                percent: number | null;
                            };
                            /** @description When every canary instance had acknowledged the version as applied: the figures count and the bake runs from then; null while waiting */
                            canary_applied_at: number | null;
                            comparison: {
                                baseline: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                canary: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                from_ms: number;
                                to_ms: number;
                            } | null;
                            decision_reason: string | null;
                            environment: string;
                            finished_at: number | null;
                            id: string;
                            /** @description The version a rollback or abort published */
                            rollback_version: number | null;
                            service: string;
                            started_at: number;
                            /** @description baking | promoted | rolled_back | aborted */
                            status: string;
                            steps?: {
                                actor: string;
                                at: number;
                                detail: unknown;
                                step: string;
                            }[];
                            thresholds: {
                                max_error_rate_increase: number;
                                max_p95_ratio: number;
                                min_requests: number;
                            };
                            /** @description The version the canary runs */
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/rollouts/{id}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Abort: canary instances return to the previous version (409 when it already ended) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    id: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            auto_promote: boolean;
                            bake_ms: number;
                            /** @description Once the canary applied: its applied time plus the bake */
                            bake_until: number;
                            /** @description The stable version it started from */
                            base_version: number;
                            canary: {
                                /** @description The canary instances, fixed at the start (a percent is rounded up to whole live instances, at least one) */
                                instances: string[] | null;
                                /** @description The share asked for, when given as a percent */
                                percent: number | null;
                            };
                            /** @description When every canary instance had acknowledged the version as applied: the figures count and the bake runs from then; null while waiting */
                            canary_applied_at: number | null;
                            comparison: {
                                baseline: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                canary: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                from_ms: number;
                                to_ms: number;
                            } | null;
                            decision_reason: string | null;
                            environment: string;
                            finished_at: number | null;
                            id: string;
                            /** @description The version a rollback or abort published */
                            rollback_version: number | null;
                            service: string;
                            started_at: number;
                            /** @description baking | promoted | rolled_back | aborted */
                            status: string;
                            steps?: {
                                actor: string;
                                at: number;
                                detail: unknown;
                                step: string;
                            }[];
                            thresholds: {
                                max_error_rate_increase: number;
                                max_p95_ratio: number;
                                min_requests: number;
                            };
                            /** @description The version the canary runs */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/rollouts/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote now: the canary version becomes current for every instance (409 when it already ended) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    id: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            auto_promote: boolean;
                            bake_ms: number;
                            /** @description Once the canary applied: its applied time plus the bake */
                            bake_until: number;
                            /** @description The stable version it started from */
                            base_version: number;
                            canary: {
                                /** @description The canary instances, fixed at the start (a percent is rounded up to whole live instances, at least one) */
                                instances: string[] | null;
                                /** @description The share asked for, when given as a percent */
                                percent: number | null;
                            };
                            /** @description When every canary instance had acknowledged the version as applied: the figures count and the bake runs from then; null while waiting */
                            canary_applied_at: number | null;
                            comparison: {
                                baseline: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                canary: {
                                    error_rate: number;
                                    errors: number;
                                    instances: string[];
                                    p95_ms: number | null;
                                    requests: number;
                                };
                                from_ms: number;
                                to_ms: number;
                            } | null;
                            decision_reason: string | null;
                            environment: string;
                            finished_at: number | null;
                            id: string;
                            /** @description The version a rollback or abort published */
                            rollback_version: number | null;
                            service: string;
                            started_at: number;
                            /** @description baking | promoted | rolled_back | aborted */
                            status: string;
                            steps?: {
                                actor: string;
                                at: number;
                                detail: unknown;
                                step: string;
                            }[];
                            thresholds: {
                                max_error_rate_increase: number;
                                max_p95_ratio: number;
                                min_requests: number;
                            };
                            /** @description The version the canary runs */
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set or remove the JSON Schema (422 when the latest version does not satisfy it) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A JSON Schema object (draft 2020-12 / 07 keywords), or null to remove it */
                        schema: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active_rollout_id: string | null;
                            /** @description The latest version’s document */
                            content: unknown;
                            environment: string;
                            latest_version: number;
                            /** @description JSON Schema every version must satisfy, or null */
                            schema: unknown;
                            service: string;
                            /** @description What instances outside a baking canary run */
                            stable_version: number;
                            updated_at: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** History, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Versions older than this one */
                    before?: number;
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            versions: {
                                /** @description Who published it (token name) */
                                author: string;
                                /** @description The document (any JSON) */
                                content: unknown;
                                /** @description epoch ms */
                                created_at: number;
                                environment: string;
                                message: string;
                                /** @description Set on a rollback: the version republished */
                                restored_from: number | null;
                                /** @description Set when published through a staged rollout */
                                rollout_id: string | null;
                                service: string;
                                version: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Publish a version: 422 listing each path that breaks the schema, 409 when base_version is not the latest */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The version you started from (0 for the first); 409 when another landed since */
                        base_version: number;
                        /** @description The new document */
                        content: unknown;
                        /** @description Why (shown in history and the audit log) */
                        message: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Who published it (token name) */
                            author: string;
                            /** @description The document (any JSON) */
                            content: unknown;
                            /** @description epoch ms */
                            created_at: number;
                            environment: string;
                            message: string;
                            /** @description Set on a rollback: the version republished */
                            restored_from: number | null;
                            /** @description Set when published through a staged rollout */
                            rollout_id: string | null;
                            service: string;
                            version: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/{service}/{environment}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Environment, e.g. production */
                    environment: string;
                    /** @description Service name */
                    service: string;
                    version: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Who published it (token name) */
                            author: string;
                            /** @description The document (any JSON) */
                            content: unknown;
                            /** @description epoch ms */
                            created_at: number;
                            environment: string;
                            message: string;
                            /** @description Set on a rollback: the version republished */
                            restored_from: number | null;
                            /** @description Set when published through a staged rollout */
                            rollout_id: string | null;
                            service: string;
                            version: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/instances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register an instance (idempotent on its id: registering again updates it) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description host:port ([v6]:port for IPv6) */
                        address: string;
                        checks?: {
                            /** @description The response body must contain this text */
                            body_contains?: string;
                            /** @description A status code, or ranges like "200-399" or "200,204" (default 200-399); 429 outside the range counts as warning */
                            expected_status?: number | string;
                            /** @description Request headers */
                            headers?: {
                                [key: string]: string;
                            };
                            /** @description Consecutive successes to become passing (default 1) */
                            healthy_threshold?: number;
                            /** @description Unique per instance; default `<type>-<n>` */
                            id?: string;
                            /** @description Wait before the first probe after registration (default "0s") */
                            initial_delay?: string;
                            /** @description Time between probes (default "10s", at least "100ms") */
                            interval?: string;
                            /** @description Each probe starts up to this much after its slot (default 10% of the interval) */
                            jitter?: string;
                            /**
                             * @description HTTP method (default GET)
                             * @enum {unknown}
                             */
                            method?: "GET" | "HEAD" | "POST" | "PUT" | "OPTIONS";
                            name?: string;
                            /** @description HTTP path (default /healthz) */
                            path?: string;
                            /** @description Probe deadline, at most the interval (default "2s" or the interval) */
                            timeout?: string;
                            /**
                             * @description http or tcp
                             * @enum {unknown}
                             */
                            type: "http" | "tcp";
                            /** @description Consecutive failures to become critical (default 3) */
                            unhealthy_threshold?: number;
                        }[];
                        /** @description Critical for this long removes the instance from the live view (default "10m") */
                        deregister_after?: string;
                        environment?: string;
                        /** @description Instance id; generated when absent. Registering an existing id updates it. */
                        id?: string;
                        /** @description String labels: at most 64, names up to 128 characters, values up to 512, 16384 bytes in all */
                        labels?: {
                            [key: string]: string;
                        };
                        /** @description Service name */
                        service: string;
                        /** @description Heartbeat TTL; without a heartbeat for this long the instance is critical */
                        ttl?: string;
                        version?: string;
                    };
                };
            };
            responses: {
                /** @description A registered instance with its status and where it came from */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            checks: {
                                body_contains?: string;
                                /** @description When the last probe ran */
                                checked_at: number | null;
                                /** @description Duration of the last probe */
                                duration_ms: number | null;
                                expected_status?: string;
                                headers?: {
                                    [key: string]: string;
                                };
                                healthy_threshold: number;
                                id: string;
                                initial_delay: string;
                                interval: string;
                                jitter: string;
                                method?: string;
                                name: string;
                                /** @description Output of the last probe */
                                output: string | null;
                                path?: string;
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                                timeout: string;
                                type: string;
                                unhealthy_threshold: number;
                            }[];
                            deregister_after: string;
                            environment: string | null;
                            /** @description Too many transitions within the flapping window */
                            flapping: boolean;
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            /** @description Last heartbeat (registration counts as one) */
                            last_heartbeat_at: number | null;
                            /** @description When the current registration began */
                            registered_at: number;
                            /** @description When it left the live view; null while live */
                            removed_at: number | null;
                            service: string;
                            sources: {
                                /** @description When the source last reported */
                                at: number | null;
                                reason: string;
                                /** @description `check:<id>`, `ttl`, `kubernetes`, `registration` */
                                source: string;
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                            }[];
                            /**
                             * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                             * @enum {unknown}
                             */
                            status: "passing" | "warning" | "critical" | "unknown";
                            status_reason: string | null;
                            /** @description Since when the instance has had this status */
                            status_since: number;
                            /** @description The source that decided the status */
                            status_source: string | null;
                            ttl: string | null;
                            /** @description Last change of the registration */
                            updated_at: number;
                            version: string | null;
                        };
                    };
                };
                /** @description A registered instance with its status and where it came from */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            checks: {
                                body_contains?: string;
                                /** @description When the last probe ran */
                                checked_at: number | null;
                                /** @description Duration of the last probe */
                                duration_ms: number | null;
                                expected_status?: string;
                                headers?: {
                                    [key: string]: string;
                                };
                                healthy_threshold: number;
                                id: string;
                                initial_delay: string;
                                interval: string;
                                jitter: string;
                                method?: string;
                                name: string;
                                /** @description Output of the last probe */
                                output: string | null;
                                path?: string;
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                                timeout: string;
                                type: string;
                                unhealthy_threshold: number;
                            }[];
                            deregister_after: string;
                            environment: string | null;
                            /** @description Too many transitions within the flapping window */
                            flapping: boolean;
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            /** @description Last heartbeat (registration counts as one) */
                            last_heartbeat_at: number | null;
                            /** @description When the current registration began */
                            registered_at: number;
                            /** @description When it left the live view; null while live */
                            removed_at: number | null;
                            service: string;
                            sources: {
                                /** @description When the source last reported */
                                at: number | null;
                                reason: string;
                                /** @description `check:<id>`, `ttl`, `kubernetes`, `registration` */
                                source: string;
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                            }[];
                            /**
                             * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                             * @enum {unknown}
                             */
                            status: "passing" | "warning" | "critical" | "unknown";
                            status_reason: string | null;
                            /** @description Since when the instance has had this status */
                            status_since: number;
                            /** @description The source that decided the status */
                            status_source: string | null;
                            ttl: string | null;
                            /** @description Last change of the registration */
                            updated_at: number;
                            version: string | null;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/instances/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One instance, live or removed */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A registered instance with its status and where it came from */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            checks: {
                                body_contains?: string;
                                /** @description When the last probe ran */
                                checked_at: number | null;
                                /** @description Duration of the last probe */
                                duration_ms: number | null;
                                expected_status?: string;
                                headers?: {
                                    [key: string]: string;
                                };
                                healthy_threshold: number;
                                id: string;
                                initial_delay: string;
                                interval: string;
                                jitter: string;
                                method?: string;
                                name: string;
                                /** @description Output of the last probe */
                                output: string | null;
                                path?: string;
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                                timeout: string;
                                type: string;
                                unhealthy_threshold: number;
                            }[];
                            deregister_after: string;
                            environment: string | null;
                            /** @description Too many transitions within the flapping window */
                            flapping: boolean;
                            id: string;
                            labels: {
                                [key: string]: string;
                            };
                            /** @description Last heartbeat (registration counts as one) */
                            last_heartbeat_at: number | null;
                            /** @description When the current registration began */
                            registered_at: number;
                            /** @description When it left the live view; null while live */
                            removed_at: number | null;
                            service: string;
                            sources: {
                                /** @description When the source last reported */
                                at: number | null;
                                reason: string;
                                /** @description `check:<id>`, `ttl`, `kubernetes`, `registration` */
                                source: string;
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                            }[];
                            /**
                             * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                             * @enum {unknown}
                             */
                            status: "passing" | "warning" | "critical" | "unknown";
                            status_reason: string | null;
                            /** @description Since when the instance has had this status */
                            status_since: number;
                            /** @description The source that decided the status */
                            status_source: string | null;
                            ttl: string | null;
                            /** @description Last change of the registration */
                            updated_at: number;
                            version: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Deregister an instance (it stays in history); an operator doing it is audited */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/instances/{id}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Renew the heartbeat TTL (404 when not registered: register again) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description The heartbeat just recorded */
                            last_heartbeat_at: number;
                            service: string;
                            /**
                             * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                             * @enum {unknown}
                             */
                            status: "passing" | "warning" | "critical" | "unknown";
                            ttl: string | null;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/instances/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Status transitions of an instance, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Only transitions before this time (paging) */
                    before?: number;
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            instance_id: string;
                            /** @description Newest first */
                            transitions: {
                                /** @description When */
                                at: number;
                                /**
                                 * @description `none` before the first registration, `removed` once out of the live view
                                 * @enum {unknown}
                                 */
                                from: "passing" | "warning" | "critical" | "unknown" | "none" | "removed";
                                reason: string;
                                /** @description What decided it: check:<id>, ttl, kubernetes, registration, api, registry */
                                source: string;
                                /**
                                 * @description `none` before the first registration, `removed` once out of the live view
                                 * @enum {unknown}
                                 */
                                to: "passing" | "warning" | "critical" | "unknown" | "none" | "removed";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events (events.k8s.io/v1), newest first; about one object with kind+namespace+name or uid */
        get: {
            parameters: {
                query?: {
                    /** @description Kind of the object, e.g. Pod */
                    kind?: string;
                    limit?: number;
                    /** @description Name of the object (needs namespace for namespaced kinds) */
                    name?: string;
                    /** @description Only this namespace */
                    namespace?: string;
                    type?: "Normal" | "Warning";
                    /** @description uid of the object */
                    uid?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                count: number;
                                /** @description First occurrence (epoch milliseconds) */
                                first_at: number;
                                /** @description Last occurrence (epoch milliseconds) */
                                last_at: number;
                                namespace: string;
                                note: string;
                                reason: string;
                                regarding: {
                                    field_path: string | null;
                                    kind: string;
                                    name: string;
                                    namespace: string;
                                    uid: string | null;
                                };
                                reporting_controller: string | null;
                                /** @description Normal or Warning */
                                type: string;
                                uid: string;
                            }[];
                            /** @description Matches before the limit */
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/namespaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Namespaces with counts of pods, problem pods, workloads, services and warning events */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                name: string;
                                /** @description Active or Terminating; null when namespaces are not watched */
                                phase: string | null;
                                pods: number;
                                problem_pods: number;
                                services: number;
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                warning_events: number;
                                workloads: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/namespaces/{namespace}/pods/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One pod with its containers, problems and events */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Pod name */
                    name: string;
                    /** @description Namespace */
                    namespace: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Events about the pod, newest first */
                            events: {
                                count: number;
                                /** @description First occurrence (epoch milliseconds) */
                                first_at: number;
                                /** @description Last occurrence (epoch milliseconds) */
                                last_at: number;
                                namespace: string;
                                note: string;
                                reason: string;
                                regarding: {
                                    field_path: string | null;
                                    kind: string;
                                    name: string;
                                    namespace: string;
                                    uid: string | null;
                                };
                                reporting_controller: string | null;
                                /** @description Normal or Warning */
                                type: string;
                                uid: string;
                            }[];
                            pod: {
                                /** @description app.kubernetes.io/name or app label */
                                app: string | null;
                                containers: {
                                    image: string;
                                    /** @description An init container */
                                    init: boolean;
                                    last_termination: {
                                        exit_code: number;
                                        finished_at: number | null;
                                        /** @description e.g. OOMKilled, Error, Completed */
                                        reason: string;
                                        started_at: number | null;
                                    } | null;
                                    message: string | null;
                                    name: string;
                                    ready: boolean;
                                    /** @description Reason of the waiting or terminated state */
                                    reason: string | null;
                                    restarts: number;
                                    /** @description Start of the running state (epoch milliseconds) */
                                    started_at: number | null;
                                    state: "running" | "waiting" | "terminated" | "unknown";
                                }[];
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                /** @description Deletion requested (terminating) */
                                deleting: boolean;
                                /** @description Registry instances running in the pod */
                                instance_ids: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                /** @description Most recent container termination (epoch milliseconds) */
                                last_restart_at: number | null;
                                name: string;
                                namespace: string;
                                node: string | null;
                                /** @description Pending, Running, Succeeded, Failed or Unknown */
                                phase: string;
                                pod_ip: string | null;
                                /** @description Worst first */
                                problems: {
                                    /**
                                     * @description What kind of problem; stable, for filtering and icons
                                     * @enum {unknown}
                                     */
                                    code: "crash_loop" | "oom_killed" | "image_pull" | "config_error" | "unschedulable" | "pending" | "probe_failing" | "restarts" | "failed" | "evicted" | "terminating_stuck";
                                    /** @description The container it is about, if one */
                                    container: string | null;
                                    /** @description What an operator reads first */
                                    message: string;
                                    severity: "critical" | "warning";
                                    /** @description When it started, when known (epoch milliseconds) */
                                    since_at: number | null;
                                }[];
                                /** @description The Ready condition */
                                ready: boolean;
                                ready_containers: number;
                                /** @description Sum of container restarts */
                                restarts: number;
                                /** @description Kubernetes Services in the namespace that select the pod */
                                services: string[];
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                /** @description Start, once scheduled (epoch milliseconds) */
                                started_at: number | null;
                                /** @description What `kubectl get pods` shows: Running, CrashLoopBackOff, Pending, Terminating, … */
                                status: string;
                                total_containers: number;
                                uid: string;
                                workload: {
                                    /** @description Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, … */
                                    kind: string;
                                    name: string;
                                } | null;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/namespaces/{namespace}/pods/{name}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The last lines of a container's log (current or previous instance), read from the API server; at most 4194304 bytes */
        get: {
            parameters: {
                query?: {
                    /** @description Container; default: the default-container annotation, else the first */
                    container?: string;
                    /** @description The previous (terminated) container instance */
                    previous?: boolean;
                    since_seconds?: number;
                    tail_lines?: number;
                };
                header?: never;
                path: {
                    /** @description Pod name */
                    name: string;
                    /** @description Namespace */
                    namespace: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            container: string;
                            lines: {
                                text: string;
                                /** @description Kubelet timestamp, nanoseconds since the epoch as a decimal string */
                                time_ns: string | null;
                            }[];
                            namespace: string;
                            pod: string;
                            previous: boolean;
                            /** @description The byte limit cut the output */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/namespaces/{namespace}/pods/{name}/logs/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Follow a container log over Server-Sent Events: `event: line` (data: {time_ns, text}) for the last tail_lines lines and each new one, `event: end` (data: {reason}) when the container stops */
        get: {
            parameters: {
                query?: {
                    /** @description Container; default: the default-container annotation, else the first */
                    container?: string;
                    since_seconds?: number;
                    tail_lines?: number;
                };
                header?: never;
                path: {
                    /** @description Pod name */
                    name: string;
                    /** @description Namespace */
                    namespace: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/namespaces/{namespace}/services/{name}/pods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A Service's pods (by its selector and its endpointslices), problems first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Service name */
                    name: string;
                    /** @description Namespace */
                    namespace: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Problems first */
                            pods: {
                                /** @description app.kubernetes.io/name or app label */
                                app: string | null;
                                containers: {
                                    image: string;
                                    /** @description An init container */
                                    init: boolean;
                                    last_termination: {
                                        exit_code: number;
                                        finished_at: number | null;
                                        /** @description e.g. OOMKilled, Error, Completed */
                                        reason: string;
                                        started_at: number | null;
                                    } | null;
                                    message: string | null;
                                    name: string;
                                    ready: boolean;
                                    /** @description Reason of the waiting or terminated state */
                                    reason: string | null;
                                    restarts: number;
                                    /** @description Start of the running state (epoch milliseconds) */
                                    started_at: number | null;
                                    state: "running" | "waiting" | "terminated" | "unknown";
                                }[];
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                /** @description Deletion requested (terminating) */
                                deleting: boolean;
                                /** @description Registry instances running in the pod */
                                instance_ids: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                /** @description Most recent container termination (epoch milliseconds) */
                                last_restart_at: number | null;
                                name: string;
                                namespace: string;
                                node: string | null;
                                /** @description Pending, Running, Succeeded, Failed or Unknown */
                                phase: string;
                                pod_ip: string | null;
                                /** @description Worst first */
                                problems: {
                                    /**
                                     * @description What kind of problem; stable, for filtering and icons
                                     * @enum {unknown}
                                     */
                                    code: "crash_loop" | "oom_killed" | "image_pull" | "config_error" | "unschedulable" | "pending" | "probe_failing" | "restarts" | "failed" | "evicted" | "terminating_stuck";
                                    /** @description The container it is about, if one */
                                    container: string | null;
                                    /** @description What an operator reads first */
                                    message: string;
                                    severity: "critical" | "warning";
                                    /** @description When it started, when known (epoch milliseconds) */
                                    since_at: number | null;
                                }[];
                                /** @description The Ready condition */
                                ready: boolean;
                                ready_containers: number;
                                /** @description Sum of container restarts */
                                restarts: number;
                                /** @description Kubernetes Services in the namespace that select the pod */
                                services: string[];
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                /** @description Start, once scheduled (epoch milliseconds) */
                                started_at: number | null;
                                /** @description What `kubectl get pods` shows: Running, CrashLoopBackOff, Pending, Terminating, … */
                                status: string;
                                total_containers: number;
                                uid: string;
                                workload: {
                                    /** @description Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, … */
                                    kind: string;
                                    name: string;
                                } | null;
                            }[];
                            service: {
                                cluster_ip: string | null;
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                endpoints: number;
                                name: string;
                                namespace: string;
                                /** @description Pods the service selects (or its endpointslices name) */
                                pods: number;
                                ports: {
                                    name: string | null;
                                    port: number;
                                    protocol: string;
                                    target_port: string | null;
                                }[];
                                problem_pods: number;
                                /** @description Endpoints with conditions.ready in its endpointslices */
                                ready_endpoints: number;
                                selector: {
                                    [key: string]: string;
                                } | null;
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                type: string;
                                uid: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/namespaces/{namespace}/workloads/{kind}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One workload: rollout, its pods (problems first) and events about it, its ReplicaSets and pods */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    kind: "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet";
                    /** @description Workload name */
                    name: string;
                    /** @description Namespace */
                    namespace: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Events about the workload, its ReplicaSets and pods, newest first */
                            events: {
                                count: number;
                                /** @description First occurrence (epoch milliseconds) */
                                first_at: number;
                                /** @description Last occurrence (epoch milliseconds) */
                                last_at: number;
                                namespace: string;
                                note: string;
                                reason: string;
                                regarding: {
                                    field_path: string | null;
                                    kind: string;
                                    name: string;
                                    namespace: string;
                                    uid: string | null;
                                };
                                reporting_controller: string | null;
                                /** @description Normal or Warning */
                                type: string;
                                uid: string;
                            }[];
                            /** @description Problems first */
                            pods: {
                                /** @description app.kubernetes.io/name or app label */
                                app: string | null;
                                containers: {
                                    image: string;
                                    /** @description An init container */
                                    init: boolean;
                                    last_termination: {
                                        exit_code: number;
                                        finished_at: number | null;
                                        /** @description e.g. OOMKilled, Error, Completed */
                                        reason: string;
                                        started_at: number | null;
                                    } | null;
                                    message: string | null;
                                    name: string;
                                    ready: boolean;
                                    /** @description Reason of the waiting or terminated state */
                                    reason: string | null;
                                    restarts: number;
                                    /** @description Start of the running state (epoch milliseconds) */
                                    started_at: number | null;
                                    state: "running" | "waiting" | "terminated" | "unknown";
                                }[];
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                /** @description Deletion requested (terminating) */
                                deleting: boolean;
                                /** @description Registry instances running in the pod */
                                instance_ids: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                /** @description Most recent container termination (epoch milliseconds) */
                                last_restart_at: number | null;
                                name: string;
                                namespace: string;
                                node: string | null;
                                /** @description Pending, Running, Succeeded, Failed or Unknown */
                                phase: string;
                                pod_ip: string | null;
                                /** @description Worst first */
                                problems: {
                                    /**
                                     * @description What kind of problem; stable, for filtering and icons
                                     * @enum {unknown}
                                     */
                                    code: "crash_loop" | "oom_killed" | "image_pull" | "config_error" | "unschedulable" | "pending" | "probe_failing" | "restarts" | "failed" | "evicted" | "terminating_stuck";
                                    /** @description The container it is about, if one */
                                    container: string | null;
                                    /** @description What an operator reads first */
                                    message: string;
                                    severity: "critical" | "warning";
                                    /** @description When it started, when known (epoch milliseconds) */
                                    since_at: number | null;
                                }[];
                                /** @description The Ready condition */
                                ready: boolean;
                                ready_containers: number;
                                /** @description Sum of container restarts */
                                restarts: number;
                                /** @description Kubernetes Services in the namespace that select the pod */
                                services: string[];
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                /** @description Start, once scheduled (epoch milliseconds) */
                                started_at: number | null;
                                /** @description What `kubectl get pods` shows: Running, CrashLoopBackOff, Pending, Terminating, … */
                                status: string;
                                total_containers: number;
                                uid: string;
                                workload: {
                                    /** @description Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, … */
                                    kind: string;
                                    name: string;
                                } | null;
                            }[];
                            workload: {
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                images: string[];
                                /** @enum {unknown} */
                                kind: "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet";
                                name: string;
                                namespace: string;
                                pods: number;
                                /** @description Pods with a critical or warning problem */
                                problem_pods: number;
                                rollout: {
                                    available: number;
                                    /** @description Pods that exist now, old and new */
                                    current: number;
                                    /** @description Replicas asked for (DaemonSet: nodes that should run it) */
                                    desired: number;
                                    message: string;
                                    ready: number;
                                    revision: string | null;
                                    /** @description As `kubectl rollout status` decides it; stalled = progress deadline exceeded */
                                    state: "complete" | "progressing" | "stalled" | "paused";
                                    unavailable: number;
                                    /** @description Pods of the newest revision */
                                    updated: number;
                                };
                                selector: {
                                    [key: string]: string;
                                };
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                uid: string;
                                /** @description Warning events about the workload or its pods */
                                warning_events: number;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/pods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pods, problems first (crash loops, OOM kills, image pulls, scheduling, probes, restarts) */
        get: {
            parameters: {
                query?: {
                    /** @description Pods of this application: app.kubernetes.io/name or app label, or selected by a Service of that name */
                    app?: string;
                    limit?: number;
                    /** @description Only this namespace */
                    namespace?: string;
                    node?: string;
                    /** @description `critical`: only critical; `warning`: warning or worse; `problems`: same as warning */
                    severity?: "critical" | "warning" | "problems";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description app.kubernetes.io/name or app label */
                                app: string | null;
                                containers: {
                                    image: string;
                                    /** @description An init container */
                                    init: boolean;
                                    last_termination: {
                                        exit_code: number;
                                        finished_at: number | null;
                                        /** @description e.g. OOMKilled, Error, Completed */
                                        reason: string;
                                        started_at: number | null;
                                    } | null;
                                    message: string | null;
                                    name: string;
                                    ready: boolean;
                                    /** @description Reason of the waiting or terminated state */
                                    reason: string | null;
                                    restarts: number;
                                    /** @description Start of the running state (epoch milliseconds) */
                                    started_at: number | null;
                                    state: "running" | "waiting" | "terminated" | "unknown";
                                }[];
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                /** @description Deletion requested (terminating) */
                                deleting: boolean;
                                /** @description Registry instances running in the pod */
                                instance_ids: string[];
                                labels: {
                                    [key: string]: string;
                                };
                                /** @description Most recent container termination (epoch milliseconds) */
                                last_restart_at: number | null;
                                name: string;
                                namespace: string;
                                node: string | null;
                                /** @description Pending, Running, Succeeded, Failed or Unknown */
                                phase: string;
                                pod_ip: string | null;
                                /** @description Worst first */
                                problems: {
                                    /**
                                     * @description What kind of problem; stable, for filtering and icons
                                     * @enum {unknown}
                                     */
                                    code: "crash_loop" | "oom_killed" | "image_pull" | "config_error" | "unschedulable" | "pending" | "probe_failing" | "restarts" | "failed" | "evicted" | "terminating_stuck";
                                    /** @description The container it is about, if one */
                                    container: string | null;
                                    /** @description What an operator reads first */
                                    message: string;
                                    severity: "critical" | "warning";
                                    /** @description When it started, when known (epoch milliseconds) */
                                    since_at: number | null;
                                }[];
                                /** @description The Ready condition */
                                ready: boolean;
                                ready_containers: number;
                                /** @description Sum of container restarts */
                                restarts: number;
                                /** @description Kubernetes Services in the namespace that select the pod */
                                services: string[];
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                /** @description Start, once scheduled (epoch milliseconds) */
                                started_at: number | null;
                                /** @description What `kubectl get pods` shows: Running, CrashLoopBackOff, Pending, Terminating, … */
                                status: string;
                                total_containers: number;
                                uid: string;
                                workload: {
                                    /** @description Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, … */
                                    kind: string;
                                    name: string;
                                } | null;
                            }[];
                            /** @description Matches before the limit */
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Kubernetes Services with their pods, ready endpoints and problem pods */
        get: {
            parameters: {
                query?: {
                    /** @description Only this namespace */
                    namespace?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                cluster_ip: string | null;
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                endpoints: number;
                                name: string;
                                namespace: string;
                                /** @description Pods the service selects (or its endpointslices name) */
                                pods: number;
                                ports: {
                                    name: string | null;
                                    port: number;
                                    protocol: string;
                                    target_port: string | null;
                                }[];
                                problem_pods: number;
                                /** @description Endpoints with conditions.ready in its endpointslices */
                                ready_endpoints: number;
                                selector: {
                                    [key: string]: string;
                                } | null;
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                type: string;
                                uid: string;
                            }[];
                            /** @description Matches before the limit */
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The Kubernetes source: cluster, watched namespaces, cache sync and watch health per resource */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description API server URL */
                            cluster: string;
                            /** @description kubeconfig context, null in-cluster */
                            context: string | null;
                            /** @description Watched namespaces; null for all */
                            namespaces: string[] | null;
                            resources: {
                                last_error: string | null;
                                last_error_at: number | null;
                                last_event_at: number | null;
                                /** @description Full lists so far: 1 + relists after 410 Gone or restarts */
                                lists: number;
                                objects: number;
                                /** @description pods, services, endpointslices, … */
                                resource: string;
                                /** @description Last resourceVersion seen (events and bookmarks) */
                                resource_version: string;
                                /** @description The first list has been loaded */
                                synced: boolean;
                                /** @description Watches restarted after an error */
                                watch_restarts: number;
                            }[];
                            /** @description From start to every cache loaded */
                            sync_duration_ms: number | null;
                            synced: boolean;
                            synced_at: number | null;
                            /** @description Warning events are stored as log records */
                            warning_logs: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kubernetes/workloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deployments, StatefulSets, DaemonSets (and bare ReplicaSets) with rollout state, problems first */
        get: {
            parameters: {
                query?: {
                    kind?: "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet";
                    /** @description Only this namespace */
                    namespace?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description Creation (epoch milliseconds) */
                                created_at: number;
                                images: string[];
                                /** @enum {unknown} */
                                kind: "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet";
                                name: string;
                                namespace: string;
                                pods: number;
                                /** @description Pods with a critical or warning problem */
                                problem_pods: number;
                                rollout: {
                                    available: number;
                                    /** @description Pods that exist now, old and new */
                                    current: number;
                                    /** @description Replicas asked for (DaemonSet: nodes that should run it) */
                                    desired: number;
                                    message: string;
                                    ready: number;
                                    revision: string | null;
                                    /** @description As `kubectl rollout status` decides it; stalled = progress deadline exceeded */
                                    state: "complete" | "progressing" | "stalled" | "paused";
                                    unavailable: number;
                                    /** @description Pods of the newest revision */
                                    updated: number;
                                };
                                selector: {
                                    [key: string]: string;
                                };
                                /** @description The worst problem of the object: critical > warning > ok */
                                severity: "critical" | "warning" | "ok";
                                uid: string;
                                /** @description Warning events about the workload or its pods */
                                warning_events: number;
                            }[];
                            /** @description Matches before the limit */
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search log records, newest first, a page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description Repeatable `key=value` filter on span (or log) and resource attributes, typed: `true`/`false` are booleans, numerals numbers, anything else (or "quoted") a string */
                    attribute?: string[];
                    /** @description Text in the body (any case) */
                    contains?: string;
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    /** @description Start, epoch ms (default: one hour before `to`) */
                    from?: number;
                    limit?: number;
                    /** @description SeverityNumber 1..24, or trace, debug, info, warn, error, fatal */
                    min_severity?: string;
                    /** @description A `pattern` from /logs/patterns: the records of that template (each <*> stands for any text) */
                    pattern?: string;
                    service?: string;
                    span_id?: string;
                    /** @description End (exclusive), epoch ms (default: now) */
                    to?: number;
                    trace_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first */
                            logs: {
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                attributes: {
                                    [key: string]: unknown;
                                };
                                /** @description A string body as is; other bodies as JSON text */
                                body: string;
                                id: number;
                                /** @description epoch ns */
                                observed_time_ns: string;
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                resource: {
                                    [key: string]: unknown;
                                };
                                scope_name: string;
                                service: string;
                                severity_number: number;
                                severity_text: string;
                                span_id: string | null;
                                /** @description epoch ms */
                                time_at: number;
                                /** @description epoch ns */
                                time_ns: string;
                                /** @description GET /traces/{trace_id} for its trace */
                                trace_id: string | null;
                            }[];
                            /** @description Pass as `cursor` for the next page */
                            next_cursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/logs/patterns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The matching records grouped by pattern (their bodies with ids and numbers as <*>), most frequent first
         * @description Same filters as /logs. Groups the newest `sample` matching records of the window; `complete` says whether that was all of them. A pattern passed back as `pattern` lists its records.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Repeatable `key=value` filter on span (or log) and resource attributes, typed: `true`/`false` are booleans, numerals numbers, anything else (or "quoted") a string */
                    attribute?: string[];
                    /** @description Also group the window just before, as long as this one, and give each pattern its count there */
                    compare?: boolean;
                    /** @description Text in the body (any case) */
                    contains?: string;
                    /** @description Start, epoch ms (default: one hour before `to`) */
                    from?: number;
                    /** @description Patterns returned */
                    limit?: number;
                    /** @description SeverityNumber 1..24, or trace, debug, info, warn, error, fatal */
                    min_severity?: string;
                    /** @description A `pattern` from /logs/patterns: the records of that template (each <*> stands for any text) */
                    pattern?: string;
                    /** @description How many of the newest matching records are grouped */
                    sample?: number;
                    service?: string;
                    span_id?: string;
                    /** @description End (exclusive), epoch ms (default: now) */
                    to?: number;
                    trace_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Whether those were all the records of the window that match */
                            complete: boolean;
                            /** @description The most frequent first */
                            patterns: {
                                /** @description Scanned records of this pattern */
                                count: number;
                                /** @description Its newest record */
                                example: {
                                    body: string;
                                    service: string;
                                    severity_number: number;
                                    severity_text: string;
                                    span_id: string | null;
                                    /** @description epoch ms */
                                    time_at: number;
                                    /** @description epoch ns */
                                    time_ns: string;
                                    trace_id: string | null;
                                };
                                /** @description Oldest scanned record of the pattern, epoch ms */
                                first_at: number;
                                /** @description Newest, epoch ms */
                                last_at: number;
                                /** @description The highest SeverityNumber among them */
                                max_severity_number: number;
                                /** @description The body's first line with each word holding a digit (ids, numbers, durations, addresses) as <*>; pass it as `pattern` to /logs for its records */
                                pattern: string;
                                /** @description Its scanned records in the window before (0: none there), with `compare=true` */
                                previous_count: number | null;
                                /** @description Its records per step of the window (30 steps); null for steps older than the oldest scanned record when the scan was not complete */
                                series: (number | null)[];
                                /** @description Records per service, most first */
                                services: {
                                    count: number;
                                    service: string;
                                }[];
                                /** @description SeverityNumber 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; 0 unspecified */
                                severity: "unspecified" | "trace" | "debug" | "info" | "warn" | "error" | "fatal";
                            }[];
                            /** @description The window before, with `compare=true` */
                            previous: {
                                /** @description Whether its scanned records were all it had: only then does a count of 0 mean none */
                                complete: boolean;
                                /** @description Start of the window before, epoch ms */
                                from: number;
                                scanned: number;
                                /** @description Its end (exclusive): the start of this window, epoch ms */
                                to: number;
                            } | null;
                            /** @description Records grouped: the newest that match, at most `sample` */
                            scanned: number;
                            /** @description Start of the first step of every pattern's `series` (the window's start), epoch ms */
                            series_from: number;
                            /** @description Width of each step of `series`, ms */
                            series_step_ms: number;
                            /** @description Patterns among the scanned records (more than listed past `limit`) */
                            total_patterns: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/logs/tail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live tail over Server-Sent Events: `log` events (one record each, as in /logs without `id`)
         * @description Same filters as /logs. Each record committed on this replica that matches is sent as `event: log`; a slow reader gets `event: dropped` with the count it missed. 429 when too many tails are open.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Repeatable `key=value` filter on span (or log) and resource attributes, typed: `true`/`false` are booleans, numerals numbers, anything else (or "quoted") a string */
                    attribute?: string[];
                    /** @description Text in the body (any case) */
                    contains?: string;
                    /** @description SeverityNumber 1..24, or trace, debug, info, warn, error, fatal */
                    min_severity?: string;
                    /** @description A `pattern` from /logs/patterns: the records of that template (each <*> stands for any text) */
                    pattern?: string;
                    service?: string;
                    span_id?: string;
                    trace_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A stream of `log` events (JSON data) and `dropped` events ({ count }) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/logs/volume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many log records match, per step of the window and per severity (for a volume chart)
         * @description Same filters as /logs. Steps start at a multiple of the step, so they line up between calls.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Repeatable `key=value` filter on span (or log) and resource attributes, typed: `true`/`false` are booleans, numerals numbers, anything else (or "quoted") a string */
                    attribute?: string[];
                    /** @description Text in the body (any case) */
                    contains?: string;
                    /** @description Start, epoch ms (default: one hour before `to`) */
                    from?: number;
                    /** @description SeverityNumber 1..24, or trace, debug, info, warn, error, fatal */
                    min_severity?: string;
                    /** @description A `pattern` from /logs/patterns: the records of that template (each <*> stands for any text) */
                    pattern?: string;
                    service?: string;
                    span_id?: string;
                    /** @description Width of each step, whole seconds like "30s" or "5m" (default: a round step giving about 60) */
                    step?: string;
                    /** @description End (exclusive), epoch ms (default: now) */
                    to?: number;
                    trace_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Start of the first step (a multiple of the step), epoch ms */
                            from: number;
                            /** @description One per severity that had records, least severe first */
                            series: {
                                counts: number[];
                                /** @description SeverityNumber 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; 0 unspecified */
                                severity: "unspecified" | "trace" | "debug" | "info" | "warn" | "error" | "fatal";
                            }[];
                            /** @description Width of each step, ms */
                            step_ms: number;
                            /** @description Start of each step; every series has one count per step */
                            timestamps: number[];
                            /** @description End of the window (exclusive), epoch ms */
                            to: number;
                            /** @description Records that matched in the window */
                            total: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Services with live instances: aggregate status, counts by status, versions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            services: {
                                counts: {
                                    critical: number;
                                    passing: number;
                                    unknown: number;
                                    warning: number;
                                };
                                /** @description Live instances by environment, most first (null: registered without one) */
                                environments: {
                                    environment: string | null;
                                    instances: number;
                                }[];
                                /** @description Instances marked flapping */
                                flapping: number;
                                /** @description Live instances */
                                instances: number;
                                name: string;
                                /**
                                 * @description critical when every instance is critical; warning when some are critical or warning; passing when none is bad and one passes; else unknown
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                                versions: {
                                    instances: number;
                                    version: string | null;
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/services/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One service and its live instances with status and last check results */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            counts: {
                                critical: number;
                                passing: number;
                                unknown: number;
                                warning: number;
                            };
                            flapping: number;
                            instances: {
                                address: string;
                                checks: {
                                    body_contains?: string;
                                    /** @description When the last probe ran */
                                    checked_at: number | null;
                                    /** @description Duration of the last probe */
                                    duration_ms: number | null;
                                    expected_status?: string;
                                    headers?: {
                                        [key: string]: string;
                                    };
                                    healthy_threshold: number;
                                    id: string;
                                    initial_delay: string;
                                    interval: string;
                                    jitter: string;
                                    method?: string;
                                    name: string;
                                    /** @description Output of the last probe */
                                    output: string | null;
                                    path?: string;
                                    /**
                                     * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                     * @enum {unknown}
                                     */
                                    status: "passing" | "warning" | "critical" | "unknown";
                                    timeout: string;
                                    type: string;
                                    unhealthy_threshold: number;
                                }[];
                                deregister_after: string;
                                environment: string | null;
                                /** @description Too many transitions within the flapping window */
                                flapping: boolean;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                /** @description Last heartbeat (registration counts as one) */
                                last_heartbeat_at: number | null;
                                /** @description When the current registration began */
                                registered_at: number;
                                /** @description When it left the live view; null while live */
                                removed_at: number | null;
                                service: string;
                                sources: {
                                    /** @description When the source last reported */
                                    at: number | null;
                                    reason: string;
                                    /** @description `check:<id>`, `ttl`, `kubernetes`, `registration` */
                                    source: string;
                                    /**
                                     * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                     * @enum {unknown}
                                     */
                                    status: "passing" | "warning" | "critical" | "unknown";
                                }[];
                                /**
                                 * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                                 * @enum {unknown}
                                 */
                                status: "passing" | "warning" | "critical" | "unknown";
                                status_reason: string | null;
                                /** @description Since when the instance has had this status */
                                status_since: number;
                                /** @description The source that decided the status */
                                status_source: string | null;
                                ttl: string | null;
                                /** @description Last change of the registration */
                                updated_at: number;
                                version: string | null;
                            }[];
                            name: string;
                            /**
                             * @description passing < unknown < warning < critical; an instance takes the worst of its sources
                             * @enum {unknown}
                             */
                            status: "passing" | "warning" | "critical" | "unknown";
                            versions: {
                                instances: number;
                                version: string | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/services/{name}/operations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Span names (operations) of a service, with their span kind */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            operations: {
                                /** @description epoch ms */
                                last_seen_at: number;
                                name: string;
                                span_kind: "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
                            }[];
                            service: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/services/{name}/red": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** RED series of a service and of its operations */
        get: {
            parameters: {
                query?: {
                    /** @description Start of the window, epoch ms (default: `to` minus 15 minutes) */
                    from?: number;
                    /** @description Step between points, a whole number of minutes like "1m" or "5m" (default: about 60 points) */
                    step?: string;
                    /** @description End of the window, epoch ms (default: now) */
                    to?: number;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Start of the first step */
                            from: number;
                            /** @description The busiest operations (up to 100), busiest first */
                            operations: {
                                /** @description Span name */
                                name: string;
                                series: {
                                    /** @description Share of failed requests in each step, 0..1 */
                                    error_rate: number[];
                                    errors: number[];
                                    p50_ms: (number | null)[];
                                    p95_ms: (number | null)[];
                                    p99_ms: (number | null)[];
                                    /** @description Requests per second in each step */
                                    rate: number[];
                                    requests: number[];
                                };
                                span_kind: "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
                            }[];
                            series: {
                                /** @description Share of failed requests in each step, 0..1 */
                                error_rate: number[];
                                errors: number[];
                                p50_ms: (number | null)[];
                                p95_ms: (number | null)[];
                                p99_ms: (number | null)[];
                                /** @description Requests per second in each step */
                                rate: number[];
                                requests: number[];
                            };
                            service: string;
                            /** @description Width of each step, ms (a whole number of minutes) */
                            step_ms: number;
                            /** @description Start of each step, epoch ms; every series has one value per step */
                            timestamps: number[];
                            /** @description End of the window (exclusive) */
                            to: number;
                        };
                    };
                };
                /** @description RFC 9457 problem+json */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            status: number;
                            title: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem+json */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            status: number;
                            title: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/services/{name}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One service's timeline: audit entries, health transitions, breaker transitions, Kubernetes events */
        get: {
            parameters: {
                query?: {
                    /** @description Epoch ms, inclusive (default: 24 h before `to`) */
                    from?: number;
                    /** @description Most events (default 500) */
                    limit?: number;
                    /** @description Epoch ms, inclusive (default: now) */
                    to?: number;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first */
                            events: {
                                /** @description Epoch ms */
                                at: number;
                                details: {
                                    [key: string]: unknown;
                                };
                                instance_id: string | null;
                                /** @description The audit action, `status.<to>` for health transitions, … */
                                kind: string;
                                /** @description audit, health, breakers, kubernetes… */
                                source: string;
                                summary: string;
                            }[];
                            from: number;
                            service: string;
                            /** @description Each source asked, and why it gave nothing when it failed */
                            sources: {
                                error: string | null;
                                name: string;
                                ok: boolean;
                            }[];
                            to: number;
                            /** @description More events exist in the window than `limit` */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API tokens, newest first (never the tokens themselves) */
        get: {
            parameters: {
                query?: {
                    /** @description Also list revoked tokens (default false) */
                    include_revoked?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tokens: {
                                /** @description Epoch ms */
                                created_at: number;
                                /** @description Name of the principal that created it */
                                created_by: string;
                                /** @description Epoch ms; null: until revoked */
                                expires_at: number | null;
                                /** @description Public id of the token (the part after `sbx_`) */
                                id: string;
                                /** @description Epoch ms, to the minute */
                                last_used_at: number | null;
                                name: string;
                                /** @description Epoch ms */
                                revoked_at: number | null;
                                revoked_by: string | null;
                                /**
                                 * @description viewer: read; operator: breaker commands, config publish, rollouts, registry writes; admin: tokens, settings
                                 * @enum {unknown}
                                 */
                                role: "viewer" | "operator" | "admin";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an API token; the response is the only time the token is shown */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Lifetime, e.g. "720h"; none: until revoked */
                        expires_in?: string;
                        /** @description Who or what uses it, e.g. "ci-deploy" or "alice" */
                        name: string;
                        /**
                         * @description viewer: read; operator: breaker commands, config publish, rollouts, registry writes; admin: tokens, settings
                         * @enum {unknown}
                         */
                        role: "viewer" | "operator" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Epoch ms */
                            created_at: number;
                            /** @description Name of the principal that created it */
                            created_by: string;
                            /** @description Epoch ms; null: until revoked */
                            expires_at: number | null;
                            /** @description Public id of the token (the part after `sbx_`) */
                            id: string;
                            /** @description Epoch ms, to the minute */
                            last_used_at: number | null;
                            name: string;
                            /** @description Epoch ms */
                            revoked_at: number | null;
                            revoked_by: string | null;
                            /**
                             * @description viewer: read; operator: breaker commands, config publish, rollouts, registry writes; admin: tokens, settings
                             * @enum {unknown}
                             */
                            role: "viewer" | "operator" | "admin";
                        } & {
                            /** @description The token to send as `Authorization: Bearer <token>`. Shown this once: only its hash is stored */
                            token: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token: it is refused from now on (idempotent) */
        delete: {
            parameters: {
                query?: {
                    /** @description Why, for the audit log */
                    reason?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Epoch ms */
                            created_at: number;
                            /** @description Name of the principal that created it */
                            created_by: string;
                            /** @description Epoch ms; null: until revoked */
                            expires_at: number | null;
                            /** @description Public id of the token (the part after `sbx_`) */
                            id: string;
                            /** @description Epoch ms, to the minute */
                            last_used_at: number | null;
                            name: string;
                            /** @description Epoch ms */
                            revoked_at: number | null;
                            revoked_by: string | null;
                            /**
                             * @description viewer: read; operator: breaker commands, config publish, rollouts, registry writes; admin: tokens, settings
                             * @enum {unknown}
                             */
                            role: "viewer" | "operator" | "admin";
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/topology": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Service graph with RED per node and edge
         * @description Computed from 1-minute roll-ups made at ingest (never from raw spans). Edges whose halves arrive apart wait up to the pairing window (10 s by default) before they count, and roll-ups reach the store every few seconds, so the last seconds of a window fill in shortly after.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start of the window, epoch ms (default: `to` minus 15 minutes) */
                    from?: number;
                    /** @description End of the window, epoch ms (default: now) */
                    to?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Latency is the caller's (the CLIENT or PRODUCER span's duration) */
                            edges: {
                                /** @description Share of requests that failed, 0..1 */
                                error_rate: number;
                                /** @description Failed requests (span status ERROR on either side) in the window */
                                errors: number;
                                /** @description sync: CLIENT→SERVER; async: PRODUCER→CONSUMER (or through a broker) */
                                kind: "sync" | "async";
                                /** @description Median latency, ms (null without requests) */
                                p50_ms: number | null;
                                /** @description 95th percentile latency, ms */
                                p95_ms: number | null;
                                /** @description 99th percentile latency, ms */
                                p99_ms: number | null;
                                /** @description Requests per second over the part of the window that has passed */
                                rate: number;
                                /** @description Requests in the window */
                                requests: number;
                                /** @description Node id of the caller */
                                source: string;
                                /** @description Node id of the callee */
                                target: string;
                            }[];
                            /** @description Start of the first minute bucket in the window */
                            from: number;
                            /** @description A service counts its SERVER, CONSUMER and root spans; a peer counts what its callers saw */
                            nodes: {
                                /** @description Deployment environments the service runs in: from its live registry instances, else from the `deployment.environment(.name)` of the resources it sent spans with. Empty for peers and when unknown */
                                environments: string[];
                                /** @description Share of requests that failed, 0..1 */
                                error_rate: number;
                                /** @description Failed requests (span status ERROR on either side) in the window */
                                errors: number;
                                /** @description A service name, or `<type>:<name>` for inferred peers */
                                id: string;
                                /** @description An external peer is named by its host name, or by its IP address (or localhost) with the port, since one address often serves several services */
                                name: string;
                                /** @description Kubernetes namespaces it runs in: from the `k8s.namespace.name` label of its live instances, else the Kubernetes source (pods matched to its instances, Services of the same name), else its span resources. Empty for peers and when unknown */
                                namespaces: string[];
                                /** @description Median latency, ms (null without requests) */
                                p50_ms: number | null;
                                /** @description 95th percentile latency, ms */
                                p95_ms: number | null;
                                /** @description 99th percentile latency, ms */
                                p99_ms: number | null;
                                /** @description Requests per second over the part of the window that has passed */
                                rate: number;
                                /** @description Requests in the window */
                                requests: number;
                                /** @description service: sends spans (or named by peer.service); the others are inferred from span attributes */
                                type: "service" | "database" | "messaging" | "external";
                            }[];
                            /** @description End of the last minute bucket in the window (exclusive) */
                            to: number;
                        };
                    };
                };
                /** @description RFC 9457 problem+json */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            status: number;
                            title: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/topology/edges/red": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * RED series of the calls along one edge
         * @description From the edge's 1-minute (and 10-minute, 1-hour) roll-ups. Latency is the caller's. 404 when the window holds no calls from `source` to `target`.
         */
        get: {
            parameters: {
                query: {
                    /** @description Start of the window, epoch ms (default: `to` minus 15 minutes) */
                    from?: number;
                    /** @description Only synchronous or only asynchronous calls (default: both) */
                    kind?: "sync" | "async";
                    /** @description Node id of the caller, as GET /topology names it */
                    source: string;
                    /** @description Step between points, a whole number of minutes like "1m" or "5m" (default: about 60 points) */
                    step?: string;
                    /** @description Node id of the callee, as GET /topology names it */
                    target: string;
                    /** @description End of the window, epoch ms (default: now) */
                    to?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Start of the first step */
                            from: number;
                            kind: ("sync" | "async") | (never | null);
                            series: {
                                /** @description Share of failed requests in each step, 0..1 */
                                error_rate: number[];
                                errors: number[];
                                p50_ms: (number | null)[];
                                p95_ms: (number | null)[];
                                p99_ms: (number | null)[];
                                /** @description Requests per second in each step */
                                rate: number[];
                                requests: number[];
                            };
                            source: string;
                            /** @description Width of each step, ms (a whole number of minutes) */
                            step_ms: number;
                            target: string;
                            /** @description Start of each step, epoch ms; every series has one value per step */
                            timestamps: number[];
                            /** @description End of the window (exclusive) */
                            to: number;
                        };
                    };
                };
                /** @description RFC 9457 problem+json */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            status: number;
                            title: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description RFC 9457 problem+json */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            status: number;
                            title: string;
                            type: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search traces: those with a span matching every filter, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Repeatable `key=value` filter on span (or log) and resource attributes, typed: `true`/`false` are booleans, numerals numbers, anything else (or "quoted") a string */
                    attribute?: string[];
                    /** @description Only traces with a matching span in error */
                    errors_only?: boolean;
                    /** @description Start, epoch ms (default: one hour before `to`) */
                    from?: number;
                    limit?: number;
                    /** @description e.g. "2s" */
                    max_duration?: string;
                    /** @description Matching span lasts at least, e.g. "250ms" */
                    min_duration?: string;
                    /** @description Span name */
                    operation?: string;
                    service?: string;
                    /** @description End (exclusive), epoch ms (default: now) */
                    to?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first */
                            traces: {
                                duration_ms: number;
                                /** @description From the earliest start to the latest end */
                                duration_ns: string;
                                error_count: number;
                                /** @description False when the root span is missing; root_* then name the earliest span */
                                has_root: boolean;
                                root_operation: string;
                                root_service: string;
                                /** @description Services in the trace, most spans first */
                                services: {
                                    error_count: number;
                                    name: string;
                                    span_count: number;
                                }[];
                                span_count: number;
                                /** @description Earliest span start, epoch ms */
                                start_at: number;
                                /** @description Earliest span start, epoch ns */
                                start_ns: string;
                                trace_id: string;
                            }[];
                            /** @description True when the search stopped at its scan cap before finding `limit` traces: narrow the time range */
                            truncated: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces/{traceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A whole trace: its summary and every span */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 32 hex characters */
                    traceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Every span, by start time */
                            spans: {
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                attributes: {
                                    [key: string]: unknown;
                                };
                                duration_ms: number;
                                /** @description Duration, ns */
                                duration_ns: string;
                                events: {
                                    /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                    attributes: {
                                        [key: string]: unknown;
                                    };
                                    name: string;
                                    /** @description epoch ns */
                                    time_ns: string;
                                }[];
                                kind: "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
                                links: {
                                    /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                    attributes: {
                                        [key: string]: unknown;
                                    };
                                    span_id: string;
                                    trace_id: string;
                                }[];
                                /** @description Log records of this span (GET /traces/{traceId}/logs?span_id=…) */
                                log_count: number;
                                name: string;
                                parent_span_id: string | null;
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                resource: {
                                    [key: string]: unknown;
                                };
                                scope: {
                                    name: string;
                                    version: string;
                                };
                                service: string;
                                span_id: string;
                                /** @description Start, epoch ms */
                                start_at: number;
                                /** @description Start, epoch ns */
                                start_ns: string;
                                status: "unset" | "ok" | "error";
                                status_message: string;
                                trace_id: string;
                            }[];
                            summary: {
                                duration_ms: number;
                                /** @description From the earliest start to the latest end */
                                duration_ns: string;
                                error_count: number;
                                /** @description False when the root span is missing; root_* then name the earliest span */
                                has_root: boolean;
                                root_operation: string;
                                root_service: string;
                                /** @description Services in the trace, most spans first */
                                services: {
                                    error_count: number;
                                    name: string;
                                    span_count: number;
                                }[];
                                span_count: number;
                                /** @description Earliest span start, epoch ms */
                                start_at: number;
                                /** @description Earliest span start, epoch ns */
                                start_ns: string;
                                trace_id: string;
                            };
                            trace_id: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces/{traceId}/compact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A whole trace, each resource and scope sent once and times as integer offsets
         * @description The same spans as GET /traces/{traceId}, about half the size for a big trace: a span names its resource and scope by index into `resources` and `scopes`, starts at `summary.start_ns` + `start_offset_ns`, and leaves out an empty status message, events and links. The dashboard reads traces this way.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description 32 hex characters */
                    traceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The spans' resources, each once */
                            resources: {
                                [key: string]: unknown;
                            }[];
                            /** @description The spans' instrumentation scopes, each once */
                            scopes: {
                                name: string;
                                version: string;
                            }[];
                            /** @description Every span, by start time; events and links are left out when there are none */
                            spans: {
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                attributes: {
                                    [key: string]: unknown;
                                };
                                /** @description Duration, ns */
                                duration_ns: number;
                                events?: {
                                    /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                    attributes: {
                                        [key: string]: unknown;
                                    };
                                    name: string;
                                    /** @description epoch ns */
                                    time_ns: string;
                                }[];
                                kind: "unspecified" | "internal" | "server" | "client" | "producer" | "consumer";
                                links?: {
                                    /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                    attributes: {
                                        [key: string]: unknown;
                                    };
                                    span_id: string;
                                    trace_id: string;
                                }[];
                                /** @description Log records of this span (GET /traces/{traceId}/logs?span_id=…) */
                                log_count: number;
                                name: string;
                                parent_span_id: string | null;
                                /** @description Index into `resources` */
                                resource: number;
                                /** @description Index into `scopes` */
                                scope: number;
                                service: string;
                                span_id: string;
                                /** @description Start, ns after the trace start (summary.start_ns); exact below 2^53 ns (104 days) */
                                start_offset_ns: number;
                                status: "unset" | "ok" | "error";
                                /** @description Left out when empty */
                                status_message?: string;
                            }[];
                            summary: {
                                duration_ms: number;
                                /** @description From the earliest start to the latest end */
                                duration_ns: string;
                                error_count: number;
                                /** @description False when the root span is missing; root_* then name the earliest span */
                                has_root: boolean;
                                root_operation: string;
                                root_service: string;
                                /** @description Services in the trace, most spans first */
                                services: {
                                    error_count: number;
                                    name: string;
                                    span_count: number;
                                }[];
                                span_count: number;
                                /** @description Earliest span start, epoch ms */
                                start_at: number;
                                /** @description Earliest span start, epoch ns */
                                start_ns: string;
                                trace_id: string;
                            };
                            trace_id: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces/{traceId}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A trace's log records (or one span's, with span_id), oldest first */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    span_id?: string;
                };
                header?: never;
                path: {
                    /** @description 32 hex characters */
                    traceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Oldest first */
                            logs: {
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                attributes: {
                                    [key: string]: unknown;
                                };
                                /** @description A string body as is; other bodies as JSON text */
                                body: string;
                                id: number;
                                /** @description epoch ns */
                                observed_time_ns: string;
                                /** @description Attributes as a JSON object; int64 values beyond 2^53 arrive as decimal strings */
                                resource: {
                                    [key: string]: unknown;
                                };
                                scope_name: string;
                                service: string;
                                severity_number: number;
                                severity_text: string;
                                span_id: string | null;
                                /** @description epoch ms */
                                time_at: number;
                                /** @description epoch ns */
                                time_ns: string;
                                /** @description GET /traces/{trace_id} for its trace */
                                trace_id: string | null;
                            }[];
                            trace_id: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/traces/{traceId}/otlp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A whole trace as OTLP/JSON, to keep or to send to any OTLP receiver
         * @description The trace as an ExportTraceServiceRequest in the OTLP/JSON mapping, spans grouped by resource and scope: POST it to an OTLP/HTTP `/v1/traces` endpoint (this server's included) as it is. Values come back as stored: a double with an integral value as an intValue, an integer beyond 2^53 and bytes as stringValues; dropped-attribute counts, trace state and flags are not kept.
         */
        get: {
            parameters: {
                query?: {
                    /** @description true: answered as an attachment named trace-<trace id>.json (a browser saves it) */
                    download?: boolean;
                };
                header?: never;
                path: {
                    /** @description 32 hex characters */
                    traceId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An OTLP/JSON ExportTraceServiceRequest */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            resourceSpans: {
                                resource: {
                                    /** @description OTLP KeyValue list: each value an AnyValue (stringValue, intValue as a decimal string, …) */
                                    attributes: {
                                        key: string;
                                        value: {
                                            [key: string]: unknown;
                                        };
                                    }[];
                                };
                                scopeSpans: {
                                    scope: {
                                        name: string;
                                        version?: string;
                                    };
                                    spans: {
                                        /** @description OTLP KeyValue list: each value an AnyValue (stringValue, intValue as a decimal string, …) */
                                        attributes: {
                                            key: string;
                                            value: {
                                                [key: string]: unknown;
                                            };
                                        }[];
                                        /** @description epoch ns */
                                        endTimeUnixNano: string;
                                        events: {
                                            /** @description OTLP KeyValue list: each value an AnyValue (stringValue, intValue as a decimal string, …) */
                                            attributes: {
                                                key: string;
                                                value: {
                                                    [key: string]: unknown;
                                                };
                                            }[];
                                            name: string;
                                            /** @description epoch ns */
                                            timeUnixNano: string;
                                        }[];
                                        /** @description OTLP SpanKind number */
                                        kind: number;
                                        links: {
                                            /** @description OTLP KeyValue list: each value an AnyValue (stringValue, intValue as a decimal string, …) */
                                            attributes: {
                                                key: string;
                                                value: {
                                                    [key: string]: unknown;
                                                };
                                            }[];
                                            spanId: string;
                                            traceId: string;
                                        }[];
                                        name: string;
                                        /** @description Left out for a root span */
                                        parentSpanId?: string;
                                        /** @description 16 hex digits */
                                        spanId: string;
                                        /** @description epoch ns */
                                        startTimeUnixNano: string;
                                        status: {
                                            code: number;
                                            message?: string;
                                        };
                                        /** @description 32 hex digits */
                                        traceId: string;
                                    }[];
                                }[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller as the API sees it: kind, name and role of the token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /**
                             * @description token: an API token; bootstrap: SIGNALBOX_ADMIN_TOKEN; agent: the ingest token; open: no token needed (open mode)
                             * @enum {unknown}
                             */
                            kind: "token" | "bootstrap" | "agent" | "open" | "system";
                            name: string;
                            /** @description True when the API needs no token at all (no token is configured) */
                            open_mode: boolean;
                            role: ("viewer" | "operator" | "admin") | (never | null);
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
