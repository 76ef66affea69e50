"""The API documentation page (/api/v1/docs): Swagger UI settings and OpenAPI examples that « Essayer » uses.

Pydantic writes `examples` (a list) on each query parameter; OpenAPI wants `examples` there to be a map of
Example Objects, and Swagger UI fills a parameter's field from its `example`. with_parameter_examples() gives
every parameter with examples its first one as `example`, so that « Essayer » then « Exécuter » sends a
request that works (real ROME codes, a real place, real dates).
"""

from ninja import Swagger

SWAGGER = Swagger(
    settings={
        # deep links make each operation's path a link inside the operation's button (axe nested-interactive)
        "deepLinking": False,
        "defaultModelsExpandDepth": 0,
        "tryItOutEnabled": False,
        "displayRequestDuration": False,
    }
)


def with_parameter_examples(schema: dict) -> dict:
    """The OpenAPI document with `example` set on every parameter that has `examples` (Swagger UI's « Try it out »)."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                examples = parameter.pop("examples", None)
                if isinstance(examples, list) and examples:
                    parameter["example"] = examples[0]
                elif examples is not None:
                    parameter["examples"] = examples
    return schema
