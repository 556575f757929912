from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.search_knowledge_mode import SearchKnowledgeMode
from ...models.search_results import SearchResults
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    q: str,
    k: int | Unset = UNSET,
    mode: SearchKnowledgeMode | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["q"] = q

    params["k"] = k

    json_mode: str | Unset = UNSET
    if not isinstance(mode, Unset):
        json_mode = mode.value

    params["mode"] = json_mode

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/search",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | SearchResults:
    if response.status_code == 200:
        response_200 = SearchResults.from_dict(response.json())

        return response_200

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SearchResults]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str,
    k: int | Unset = UNSET,
    mode: SearchKnowledgeMode | Unset = UNSET,
) -> Response[Problem | SearchResults]:
    """Search the knowledge base

    Args:
        q (str):
        k (int | Unset):
        mode (SearchKnowledgeMode | Unset): How to rank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SearchResults]
    """

    kwargs = _get_kwargs(
        q=q,
        k=k,
        mode=mode,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    q: str,
    k: int | Unset = UNSET,
    mode: SearchKnowledgeMode | Unset = UNSET,
) -> Problem | SearchResults | None:
    """Search the knowledge base

    Args:
        q (str):
        k (int | Unset):
        mode (SearchKnowledgeMode | Unset): How to rank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SearchResults
    """

    return sync_detailed(
        client=client,
        q=q,
        k=k,
        mode=mode,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    q: str,
    k: int | Unset = UNSET,
    mode: SearchKnowledgeMode | Unset = UNSET,
) -> Response[Problem | SearchResults]:
    """Search the knowledge base

    Args:
        q (str):
        k (int | Unset):
        mode (SearchKnowledgeMode | Unset): How to rank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SearchResults]
    """

    kwargs = _get_kwargs(
        q=q,
        k=k,
        mode=mode,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    q: str,
    k: int | Unset = UNSET,
    mode: SearchKnowledgeMode | Unset = UNSET,
) -> Problem | SearchResults | None:
    """Search the knowledge base

    Args:
        q (str):
        k (int | Unset):
        mode (SearchKnowledgeMode | Unset): How to rank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SearchResults
    """

    return (
        await asyncio_detailed(
            client=client,
            q=q,
            k=k,
            mode=mode,
        )
    ).parsed
